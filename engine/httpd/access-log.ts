// Reading the access log of real httpd (format ACCESS_LOG_FORMAT in conf.ts)
// back into the engine's request.end events.

export interface AccessRecord {
  pid: number;
  /** kernel tid from the X-Thread-Id header (null where no handler ran: e.g. an error before fixups) */
  tid: number | null;
  keepalive: number;
  connStatus: 'X' | '+' | '-';
  clientPort: number;
  status: number;
  bytes: number;
  durationMs: number;
  slot: number | null;
  thread: number | null;
  generation: number | null;
  /** X-App-Pid of the response (/app/ only) */
  appPid: number | null;
  request: string;
  method: string;
  path: string;
  version: string;
  userAgent: string;
}

const LINE = /^(\d+) (\d+|-) (\d+) ([X+-]) (\d+) (\d{3}) (\d+|-) (\d+) (\d+\.\d+|-) (\d+|-) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$/;

export function parseAccessLine(line: string): AccessRecord | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const num = (s: string) => (s === '-' ? null : Number(s));
  const request = m[12];
  const [method = '', target = '', version = ''] = request.split(' ');
  const [slot, thread] = m[9] === '-' ? [null, null] : m[9].split('.').map(Number);
  return {
    pid: Number(m[1]),
    tid: num(m[2]),
    keepalive: Number(m[3]),
    connStatus: m[4] as AccessRecord['connStatus'],
    clientPort: Number(m[5]),
    status: Number(m[6]),
    bytes: num(m[7]) ?? 0,
    durationMs: Number(m[8]) / 1000,
    slot,
    thread,
    generation: num(m[10]),
    appPid: num(m[11]),
    request,
    method,
    path: target.split('?')[0],
    version,
    userAgent: m[13] === '-' ? '-' : m[13],
  };
}
