// httpd's error_log line, as server/log.c's do_errorlog_default() writes it:
//   [Sun Nov 22 05:38:37.123456 2026] [mpm_prefork:notice] [pid 100] AH00163: text
// Startup messages (APLOG_STARTUP) go to the console bare: "AH00180: WARNING: …".

export const LOG_LEVELS = [
  'emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug',
  'trace1', 'trace2', 'trace3', 'trace4', 'trace5', 'trace6', 'trace7', 'trace8',
] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  level: LogLevel;
  /** httpd module name as printed, e.g. "mpm_prefork", "core" */
  module: string;
  /** message id such as "AH00163", or "" for messages that have none */
  ah: string;
  text: string;
  pid: number;
  /** printed as ":tid N" for threaded MPMs only */
  tid?: number;
  /** "(98)Address already in use" style prefix for messages that carry an errno */
  status?: string;
  /** "127.0.0.1:5555" for messages about a connection */
  client?: string;
  /** "event.c(1961)": where httpd logs it; printed (as %7F) for debug and trace levels only */
  src?: string;
  /** APLOG_STARTUP: printed bare, without date/module/pid */
  startup?: boolean;
  /** epoch milliseconds, with a fractional part for microseconds */
  time: number;
}

/**
 * httpd logs a message when its level is at or above the configured LogLevel;
 * notice is special: it is always logged, so startup and shutdown lines are never lost.
 */
export function shouldLog(level: LogLevel, configured: LogLevel): boolean {
  return level === 'notice' || LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(configured);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ap_recent_ctime_ex with microseconds, in local time: "Sun Nov 22 05:38:37.123456 2026". */
export function logTime(epochMs: number): string {
  const d = new Date(Math.floor(epochMs));
  const usec = Math.floor((epochMs - Math.floor(epochMs / 1000) * 1000) * 1000);
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(usec, 6)} ${d.getFullYear()}`;
}

const NAMED: Record<string, string> = { '\b': 'b', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v', '\\': '\\' };

/**
 * ap_escape_errorlog_item: non-printable bytes (controls, DEL, and ≥ 0x80 in the
 * C locale) become \xhh, the usual C escapes stay short, a backslash doubles;
 * a quote needs no escape in the error log. Client-sent bytes can't forge lines.
 */
export function escapeErrorlogItem(s: string): string {
  return s.replace(/[^\x20-\x7e]|\\/g, (c) => '\\' + (NAMED[c] ?? 'x' + c.charCodeAt(0).toString(16).padStart(2, '0')));
}

/** The message part: "(errno)text: AHnnnnn: message". */
export function logMessage(e: Pick<LogEntry, 'ah' | 'text' | 'status'>): string {
  return (e.status ? `${e.status}: ` : '') + (e.ah ? `${e.ah}: ` : '') + escapeErrorlogItem(e.text);
}

export function formatErrorLogLine(e: LogEntry): string {
  if (e.startup) return logMessage(e);
  const who = e.tid !== undefined ? `[pid ${e.pid}:tid ${e.tid}]` : `[pid ${e.pid}]`;
  // log.c order: errno text, then the client, then the message with its AH id
  const status = e.status ? `${e.status}: ` : '';
  const client = e.client ? `[client ${e.client}] ` : '';
  // "%7F: " — the source location, only at LogLevel debug and beyond
  const src = e.src && LOG_LEVELS.indexOf(e.level) >= LOG_LEVELS.indexOf('debug') ? `${e.src}: ` : '';
  return `[${logTime(e.time)}] [${e.module}:${e.level}] ${who} ${src}${status}${client}${logMessage({ ah: e.ah, text: e.text })}`;
}

/** Epoch milliseconds with microsecond resolution. */
export function nowUs(): number {
  return performance.timeOrigin + performance.now();
}
