// mod_status: the /server-status page, as modules/generators/mod_status.c's
// status_handler() writes it (httpd 2.4.x branch, 2.4.63-dev: DOCTYPE HTML 3.2,
// GracefulWorkers, the wait-io column). Given one scoreboard snapshot, the
// text is byte for byte what httpd would print for the same scoreboard, with
// three things httpd gets from elsewhere passed in: the local address of the
// connection, the load averages, and (for tests) the time zone.
//
// The handler walks the scoreboard twice. The first walk (scanScoreboard)
// builds the status letters, the busy/graceful/idle counts and, with
// ExtendedStatus, the totals. The second (the per-worker table) is only for
// the HTML page.

import {
  SERVER_BUSY_DNS,
  SERVER_BUSY_KEEPALIVE,
  SERVER_BUSY_LOG,
  SERVER_BUSY_READ,
  SERVER_BUSY_WRITE,
  SERVER_CLOSING,
  SERVER_DEAD,
  SERVER_GRACEFUL,
  SERVER_IDLE_KILL,
  SERVER_READY,
  SERVER_STARTING,
  STATUS_LETTER,
  emptyProcess,
  emptyWorker,
} from '../mpm/scoreboard.js';
import type { ProcessScore, ScoreboardSnapshot, WorkerScore } from '../mpm/scoreboard.js';
import {
  aprF,
  aprG,
  atol,
  cInt,
  escapeHtml,
  escapeLogitem,
  f32,
  formatByteOut,
  formatKbyteOut,
  htTime,
  showTime,
} from './format.js';

export interface StatusRenderOptions {
  /** `?auto`: the machine-readable text/plain report */
  auto: boolean;
  /** `?notable`: the HTML page without tables (per-worker details as text) */
  notable: boolean;
  /** r->connection->local_ip, shown as "(via …)" in the HTML title */
  localIp: string;
  /** 1, 5 and 15 minute load averages (ap_get_loadavg; -1 when unknown) */
  loadavg: [number, number, number];
  /** IANA zone for the Current/Restart Time lines; default: the process's local zone */
  timeZone?: string;
}

export interface StatusQuery {
  auto: boolean;
  notable: boolean;
  /** seconds for the `Refresh` response header; present only when the query asks for it */
  refresh?: number;
}

export interface StatusCounts {
  /** R W K L D C slots of live, non-quiescing processes */
  busy: number;
  /** G slots of live, non-quiescing processes */
  graceful: number;
  /** _ slots of live, non-quiescing processes of the current generation */
  idle: number;
}

/** Content-Type mod_status sets for each kind of report. */
export function statusContentType(auto: boolean): string {
  return auto ? 'text/plain; charset=ISO-8859-1' : 'text/html; charset=ISO-8859-1';
}

/**
 * The handler's query-string parser: a plain substring search for "refresh",
 * "notable" and "auto", in that order, anywhere in the query (so
 * "?autorefresh" sets both). "refresh=N" reads N with atol(); anything below
 * 1, and a bare "refresh", means 10 seconds.
 */
export function statusQuery(query: string): StatusQuery {
  const args = query.startsWith('?') ? query.slice(1) : query;
  const q: StatusQuery = { auto: false, notable: false };
  const loc = args.indexOf('refresh');
  if (loc >= 0) {
    const after = loc + 'refresh'.length;
    const t = args[after] === '=' ? atol(args.slice(after + 1)) : 0;
    q.refresh = t < 1 ? 10 : t;
  }
  if (args.includes('notable')) q.notable = true;
  if (args.includes('auto')) q.auto = true;
  return q;
}

/** clock ticks per second (sysconf(_SC_CLK_TCK) on Linux): times() counts in these */
const CLK_TCK = 100;
/** CPU seconds → clock_t ticks, the unit httpd adds up */
const ticks = (seconds: number) => Math.round(seconds * CLK_TCK);
/** `ticks / tick` with `float tick`: the result is a float */
const tickSeconds = (t: number) => f32(f32(t) / CLK_TCK);

/** status_flags[SERVER_DISABLED]: a dead slot past MaxRequestWorkers' process or thread limit */
const DISABLED = ' ';
const STATUS_MAXLINE = 64;

interface Scan {
  /** status_flags letter per [slot][thread], ' ' for disabled slots */
  stat: string[][];
  busy: number;
  graceful: number;
  idle: number;
  /** per process slot, for the event table */
  threadBusy: number[];
  threadGraceful: number[];
  threadIdle: number[];
  /** ExtendedStatus totals */
  count: number;
  kbcount: number;
  durationMs: number;
  /** CPU ticks summed over processes (tms_utime, tms_stime, tms_cutime, tms_cstime) */
  tu: number;
  ts: number;
  tcu: number;
  tcs: number;
}

function workerAt(snap: ScoreboardSnapshot, i: number, j: number): WorkerScore {
  return snap.servers[i]?.[j] ?? DEAD_WORKER;
}
function processAt(snap: ScoreboardSnapshot, i: number): ProcessScore {
  return snap.parent[i] ?? NO_PROCESS;
}
const DEAD_WORKER = emptyWorker();
const NO_PROCESS = emptyProcess();

function letterOf(status: number): string {
  return STATUS_LETTER[status] ?? '?';
}

/** status_handler's first pass over every slot of ServerLimit × ThreadLimit. */
function scanScoreboard(snap: ScoreboardSnapshot): Scan {
  const serverLimit = snap.global.serverLimit;
  const threadLimit = snap.global.threadLimit;
  const threadsPerChild = snap.threadsPerChild || 1; // "work around buggy MPMs"
  const generation = snap.global.runningGeneration;
  const scan: Scan = {
    stat: [],
    busy: 0,
    graceful: 0,
    idle: 0,
    threadBusy: [],
    threadGraceful: [],
    threadIdle: [],
    count: 0,
    kbcount: 0,
    durationMs: 0,
    tu: 0,
    ts: 0,
    tcu: 0,
    tcs: 0,
  };
  let bcount = 0;

  for (let i = 0; i < serverLimit; i++) {
    const ps = processAt(snap, i);
    const row: string[] = [];
    let tBusy = 0;
    let tGraceful = 0;
    let tIdle = 0;
    let cpuSeen = false;
    for (let j = 0; j < threadLimit; j++) {
      const ws = workerAt(snap, i, j);
      const res = ws.status;
      row.push((i >= snap.maxDaemons || j >= threadsPerChild) && res === SERVER_DEAD ? DISABLED : letterOf(res));

      // Only live, non-quiescing processes count. An idle worker of an older
      // generation is not "idle" (it will exit), but it is not busy either.
      if (!ps.quiescing && ps.pid) {
        if (res === SERVER_READY) {
          if (ps.generation === generation) scan.idle++;
          tIdle++;
        } else if (res !== SERVER_DEAD && res !== SERVER_STARTING && res !== SERVER_IDLE_KILL) {
          if (res === SERVER_GRACEFUL) {
            scan.graceful++;
            tGraceful++;
          } else {
            scan.busy++;
            tBusy++;
          }
        }
      }

      // Totals come from every slot that was ever used, whatever its process.
      if (snap.extendedStatus && (ws.accessCount !== 0 || (res !== SERVER_READY && res !== SERVER_DEAD))) {
        cpuSeen = true;
        scan.count += ws.accessCount;
        bcount += ws.bytesServed;
        scan.durationMs += ws.durationMs;
        // kilobytes are carried out of the byte count as soon as it reaches 1024
        if (bcount >= 1024) {
          scan.kbcount += Math.floor(bcount / 1024);
          bcount %= 1024;
        }
      }
    }
    // httpd keeps each worker's times() as of its last request and takes one
    // record per process (the threads of a process share its CPU account). We
    // only have the process's current CPU, counted once if any of its slots
    // took part above. Children-of-children time is not tracked (0).
    if (cpuSeen && ps.pid) {
      scan.tu += ticks(ps.cpuUser);
      scan.ts += ticks(ps.cpuSystem);
    }
    scan.stat.push(row);
    scan.threadBusy.push(tBusy);
    scan.threadGraceful.push(tGraceful);
    scan.threadIdle.push(tIdle);
  }
  return scan;
}

/** BusyWorkers / GracefulWorkers / IdleWorkers, counted as mod_status does. */
export function statusCounts(snap: ScoreboardSnapshot): StatusCounts {
  const { busy, graceful, idle } = scanScoreboard(snap);
  return { busy, graceful, idle };
}

/** The whole response body of /server-status (or /server-status?auto). */
export function renderStatus(snap: ScoreboardSnapshot, opts: StatusRenderOptions): string {
  const short = opts.auto;
  const noTable = opts.notable;
  const extended = snap.extendedStatus;
  const scan = scanScoreboard(snap);
  const generation = snap.global.runningGeneration;
  const restartTime = snap.global.restartTime;
  // apr_uint32_t of whole seconds
  const upTime = cInt((snap.now - restartTime) / 1000) >>> 0;
  const [l1, l5, l15] = opts.loadavg.map((l) => aprF(f32(l), 2));
  const now = htTime(snap.now, opts.timeZone);
  const restarted = htTime(restartTime, opts.timeZone);
  let out = '';

  if (!short) {
    out +=
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n' +
      '<html><head>\n<title>Apache Status</title>\n</head><body>\n' +
      `<h1>Apache Server Status for ${escapeHtml(snap.serverName)} (via ${opts.localIp})</h1>\n\n` +
      `<dl><dt>Server Version: ${snap.serverVersion}</dt>\n` +
      `<dt>Server MPM: ${snap.mpm}</dt>\n` +
      `<dt>Server Built: ${snap.serverBuilt}\n</dt></dl><hr /><dl>\n` +
      `<dt>Current Time: ${now}</dt>\n` +
      `<dt>Restart Time: ${restarted}</dt>\n` +
      `<dt>Parent Server Config. Generation: ${snap.configGeneration}</dt>\n` +
      `<dt>Parent Server MPM Generation: ${generation}</dt>\n` +
      `<dt>Server uptime: ${showTime(upTime)}</dt>\n` +
      `<dt>Server load: ${l1} ${l5} ${l15}</dt>\n`;
  } else {
    out +=
      `${snap.serverName}\n` +
      `ServerVersion: ${snap.serverVersion}\n` +
      `ServerMPM: ${snap.mpm}\n` +
      `Server Built: ${snap.serverBuilt}\n` +
      `CurrentTime: ${now}\n` +
      `RestartTime: ${restarted}\n` +
      `ParentServerConfigGeneration: ${snap.configGeneration}\n` +
      `ParentServerMPMGeneration: ${generation}\n` +
      `ServerUptimeSeconds: ${upTime}\n` +
      `ServerUptime:${showTime(upTime)}\n` +
      `Load1: ${l1}\nLoad5: ${l5}\nLoad15: ${l15}\n`;
  }

  if (extended) out += extendedSummary(snap, scan, upTime, short);

  if (!short) {
    out +=
      `<dt>${scan.busy} requests currently being processed, ${scan.graceful} workers gracefully restarting, ` +
      `${scan.idle} idle workers</dt>\n`;
    out += '</dl>';
  } else {
    out += `BusyWorkers: ${scan.busy}\nGracefulWorkers: ${scan.graceful}\nIdleWorkers: ${scan.idle}\n`;
  }

  if (snap.isAsync) out += asyncSection(snap, scan, short);

  out += short ? 'Scoreboard: ' : '<pre>';
  let written = 0;
  for (const row of scan.stat) {
    for (const c of row) {
      if (c === DISABLED) continue;
      out += c;
      if (written % STATUS_MAXLINE === STATUS_MAXLINE - 1 && !short) out += '\n';
      written++;
    }
  }

  if (short) {
    // no status hooks (mod_ssl's session cache lines …) in MPM Lab
    return out + '\n';
  }

  out += '</pre>\n' + SCOREBOARD_KEY;
  if (!extended) out += pidKey(snap, scan);

  if (extended) {
    out += noTable ? '<hr /><h2>Server Details</h2>\n\n' : WORKER_TABLE_HEAD;
    for (let i = 0; i < snap.global.serverLimit; i++) {
      for (let j = 0; j < snap.global.threadLimit; j++) {
        const ws = workerAt(snap, i, j);
        // never used since the slot was last reset
        if (ws.accessCount === 0 && (ws.status === SERVER_READY || ws.status === SERVER_DEAD)) continue;
        out += noTable ? workerText(snap, i, ws) : workerRow(snap, i, ws);
      }
    }
    if (!noTable) out += WORKER_TABLE_LEGEND;
  } else {
    out += '<hr />To obtain a full report with current status information you need to use the <code>ExtendedStatus On</code> directive.\n';
  }

  // ap_psignature("<hr />\n", r) is "" with the default ServerSignature Off
  return out + '</body></html>\n';
}

/** The ExtendedStatus totals: "Total Accesses:" … "DurationPerReq:" (auto) or three <dt> lines. */
function extendedSummary(snap: ScoreboardSnapshot, scan: Scan, upTime: number, short: boolean): string {
  const cpu = snap.parentCpu;
  const gu = ticks(cpu.user);
  const gs = ticks(cpu.system);
  const gcu = ticks(cpu.childrenUser);
  const gcs = ticks(cpu.childrenSystem);
  const cpuTicks = gu + gs + gcu + gcs + scan.tu + scan.ts + scan.tcu + scan.tcs;
  const cpuUser = aprG(tickSeconds(gu + scan.tu));
  const cpuSystem = aprG(tickSeconds(gs + scan.ts));
  const cpuChildrenUser = aprG(tickSeconds(gcu + scan.tcu));
  const cpuChildrenSystem = aprG(tickSeconds(gcs + scan.tcs));
  // cpu / tick / up_time * 100.: float, float, then double (inf when up_time is 0)
  const cpuLoad = f32(tickSeconds(cpuTicks) / f32(upTime)) * 100;
  const { count, kbcount } = scan;
  const durationMs = cInt(scan.durationMs);
  const reqPerSec = f32(f32(count) / f32(upTime));
  const bytesPerSec = f32((1024 * f32(kbcount)) / f32(upTime));
  const bytesPerReq = f32((1024 * f32(kbcount)) / f32(count));
  const durationPerReq = f32(f32(durationMs) / f32(count));
  let out = '';

  if (short) {
    out += `Total Accesses: ${count}\nTotal kBytes: ${kbcount}\nTotal Duration: ${durationMs}\n`;
    out += `CPUUser: ${cpuUser}\nCPUSystem: ${cpuSystem}\nCPUChildrenUser: ${cpuChildrenUser}\nCPUChildrenSystem: ${cpuChildrenSystem}\n`;
    if (cpuTicks) out += `CPULoad: ${aprG(cpuLoad)}\n`;
    out += `Uptime: ${upTime}\n`;
    if (upTime > 0) out += `ReqPerSec: ${aprG(reqPerSec)}\nBytesPerSec: ${aprG(bytesPerSec)}\n`;
    if (count > 0) out += `BytesPerReq: ${aprG(bytesPerReq)}\nDurationPerReq: ${aprG(durationPerReq)}\n`;
    return out;
  }

  out += `<dt>Total accesses: ${count} - Total Traffic: ${formatKbyteOut(kbcount)} - Total Duration: ${durationMs}</dt>\n`;
  out += `<dt>CPU Usage: u${cpuUser} s${cpuSystem} cu${cpuChildrenUser} cs${cpuChildrenSystem}`;
  out += cpuTicks ? ` - ${aprG(cpuLoad, 3)}% CPU load</dt>\n` : '</dt>\n';
  out += '<dt>';
  if (upTime > 0) out += `${aprG(reqPerSec, 3)} requests/sec - ${formatByteOut(cInt(bytesPerSec))}/second`;
  if (count > 0) {
    if (upTime > 0) out += ' - ';
    out += `${formatByteOut(cInt(bytesPerReq))}/request - ${aprG(durationPerReq)} ms/request`;
  }
  return out + '</dt>\n';
}

/** Async MPMs (event): the per-process table, or the Processes/Conns lines of ?auto. */
function asyncSection(snap: ScoreboardSnapshot, scan: Scan, short: boolean): string {
  let waitIo = 0;
  let writeCompletion = 0;
  let keepAlive = 0;
  let lingeringClose = 0;
  let connections = 0;
  let stopping = 0;
  let procs = 0;
  let out = '';
  if (!short) {
    out +=
      '\n\n<table rules="all" cellpadding="1%">\n' +
      '<tr><th rowspan="2">Slot</th><th rowspan="2">PID</th><th rowspan="2">Stopping</th>' +
      '<th colspan="2">Connections</th>\n' +
      '<th colspan="3">Threads</th><th colspan="4">Async connections</th></tr>\n' +
      '<tr><th>total</th><th>accepting</th><th>busy</th><th>graceful</th><th>idle</th>' +
      '<th>wait-io</th><th>writing</th><th>keep-alive</th><th>closing</th></tr>\n';
  }
  for (let i = 0; i < snap.global.serverLimit; i++) {
    const ps = processAt(snap, i);
    if (!ps.pid) continue;
    connections += ps.connections;
    waitIo += ps.waitIo;
    writeCompletion += ps.writeCompletion;
    keepAlive += ps.keepAlive;
    lingeringClose += ps.lingeringClose;
    procs++;
    if (ps.quiescing) stopping++;
    if (!short) {
      const dying = ps.quiescing ? 'yes' : 'no';
      const old = ps.generation !== snap.global.runningGeneration ? ' (old gen)' : '';
      out +=
        `<tr><td>${i}</td><td>${ps.pid}</td><td>${dying}${old}</td>` +
        `<td>${ps.connections}</td><td>${ps.notAccepting ? 'no' : 'yes'}</td>` +
        `<td>${scan.threadBusy[i]}</td><td>${scan.threadGraceful[i]}</td><td>${scan.threadIdle[i]}</td>` +
        `<td>${ps.waitIo}</td><td>${ps.writeCompletion}</td><td>${ps.keepAlive}</td><td>${ps.lingeringClose}</td>` +
        '</tr>\n';
    }
  }
  if (!short) {
    out +=
      `<tr><td>Sum</td><td>${procs}</td><td>${stopping}</td><td>${connections}</td><td>&nbsp;</td>` +
      `<td>${scan.busy}</td><td>${scan.graceful}</td><td>${scan.idle}</td>` +
      `<td>${waitIo}</td><td>${writeCompletion}</td><td>${keepAlive}</td><td>${lingeringClose}</td>` +
      '</tr>\n</table>\n';
  } else {
    out +=
      `Processes: ${procs}\nStopping: ${stopping}\nConnsTotal: ${connections}\n` +
      `ConnsAsyncWaitIO: ${waitIo}\nConnsAsyncWriting: ${writeCompletion}\n` +
      `ConnsAsyncKeepAlive: ${keepAlive}\nConnsAsyncClosing: ${lingeringClose}\n`;
  }
  return out;
}

const SCOREBOARD_KEY =
  '<p>Scoreboard Key:<br />\n' +
  '"<b><code>_</code></b>" Waiting for Connection, \n' +
  '"<b><code>S</code></b>" Starting up, \n' +
  '"<b><code>R</code></b>" Reading Request,<br />\n' +
  '"<b><code>W</code></b>" Sending Reply, \n' +
  '"<b><code>K</code></b>" Keepalive (read), \n' +
  '"<b><code>D</code></b>" DNS Lookup,<br />\n' +
  '"<b><code>C</code></b>" Closing connection, \n' +
  '"<b><code>L</code></b>" Logging, \n' +
  '"<b><code>G</code></b>" Gracefully finishing,<br /> \n' +
  '"<b><code>I</code></b>" Idle cleanup of worker, \n' +
  '"<b><code>.</code></b>" Open slot with no current process<br />\n' +
  '</p>\n';

/**
 * Without ExtendedStatus: "PID Key", three entries a line. The C test is
 * "letter != '.'", so disabled slots (' ') are listed too, with their
 * process slot's pid.
 */
function pidKey(snap: ScoreboardSnapshot, scan: Scan): string {
  let out = 'PID Key: <br />\n<pre>\n';
  let k = 0;
  scan.stat.forEach((row, i) => {
    const pid = processAt(snap, i).pid;
    for (const c of row) {
      if (c === '.') continue;
      out += `   ${pid} in state: ${c} `;
      if (++k >= 3) {
        out += '\n';
        k = 0;
      } else {
        out += ',';
      }
    }
  });
  return out + '\n</pre>\n';
}

const WORKER_TABLE_HEAD =
  '\n\n<table border="0"><tr>' +
  '<th>Srv</th><th>PID</th><th>Acc</th><th>M</th><th>CPU\n</th>' +
  '<th>SS</th><th>Req</th><th>Dur</th><th>Conn</th><th>Child</th><th>Slot</th>' +
  '<th>Client</th><th>Protocol</th><th>VHost</th><th>Request</th></tr>\n\n';

// The C source builds this with backslash-newline continuations, which keep
// the next line's text: hence " <tr>" after most "\n".
const WORKER_TABLE_LEGEND =
  '</table>\n <hr /> <table>\n ' +
  '<tr><th>Srv</th><td>Child Server number - generation</td></tr>\n ' +
  '<tr><th>PID</th><td>OS process ID</td></tr>\n ' +
  '<tr><th>Acc</th><td>Number of accesses this connection / this child / this slot</td></tr>\n ' +
  '<tr><th>M</th><td>Mode of operation</td></tr>\n' +
  '<tr><th>CPU</th><td>CPU usage, number of seconds</td></tr>\n' +
  '<tr><th>SS</th><td>Seconds since beginning of most recent request</td></tr>\n ' +
  '<tr><th>Req</th><td>Milliseconds required to process most recent request</td></tr>\n ' +
  '<tr><th>Dur</th><td>Sum of milliseconds required to process all requests</td></tr>\n ' +
  '<tr><th>Conn</th><td>Kilobytes transferred this connection</td></tr>\n ' +
  '<tr><th>Child</th><td>Megabytes transferred this child</td></tr>\n ' +
  '<tr><th>Slot</th><td>Total megabytes transferred this slot</td></tr>\n ' +
  '</table>\n';

/** What the per-worker lines share: pid/generation, times, request duration. */
function workerFacts(snap: ScoreboardSnapshot, i: number, ws: WorkerScore) {
  const ps = processAt(snap, i);
  // MPMs set a per-worker pid and generation; fall back to the process's
  const pid = ws.pid ? ws.pid : ps.pid;
  const gen = ws.pid ? ws.generation : ps.generation;
  let reqTime = ws.startTime === 0 ? 0 : cInt(ws.stopTime - ws.startTime);
  if (reqTime < 0) reqTime = 0;
  // The worker's times() record: the snapshot has only the process's CPU, so
  // every worker of a live process shows its process's current figures.
  const uTicks = ps.pid ? ticks(ps.cpuUser) : 0;
  const sTicks = ps.pid ? ticks(ps.cpuSystem) : 0;
  return {
    pid,
    gen,
    reqTime,
    uTicks,
    sTicks,
    ss: cInt((snap.now - ws.lastUsed) / 1000),
    dur: cInt(ws.durationMs),
    request: escapeHtml(escapeLogitem(ws.request)),
  };
}

const ROW_MODE: Record<number, string> = {
  [SERVER_READY]: '_',
  [SERVER_STARTING]: '<b>S</b>',
  [SERVER_BUSY_READ]: '<b>R</b>',
  [SERVER_BUSY_WRITE]: '<b>W</b>',
  [SERVER_BUSY_KEEPALIVE]: '<b>K</b>',
  [SERVER_BUSY_LOG]: '<b>L</b>',
  [SERVER_BUSY_DNS]: '<b>D</b>',
  [SERVER_CLOSING]: '<b>C</b>',
  [SERVER_DEAD]: '.',
  [SERVER_GRACEFUL]: 'G',
  [SERVER_IDLE_KILL]: 'I',
};

/** One <tr> of the extended per-worker table. */
function workerRow(snap: ScoreboardSnapshot, i: number, ws: WorkerScore): string {
  const w = workerFacts(snap, i, ws);
  const pid = ws.status === SERVER_DEAD ? '-' : String(w.pid);
  return (
    `<tr><td><b>${i}-${w.gen}</b></td><td>${pid}</td><td>${ws.connCount}/${ws.myAccessCount}/${ws.accessCount}` +
    `</td><td>${ROW_MODE[ws.status] ?? '?'}` +
    `\n</td><td>${aprF(tickSeconds(w.uTicks + w.sTicks), 2)}</td><td>${w.ss}</td><td>${w.reqTime}</td><td>${w.dur}` +
    // %-1.1f and %-2.2f: the widths never pad, the text is always longer
    `</td><td>${aprF(f32(f32(ws.connBytes) / 1024), 1)}</td>` +
    `<td>${aprF(f32(f32(ws.myBytesServed) / 1048576), 2)}</td>` +
    `<td>${aprF(f32(f32(ws.bytesServed) / 1048576), 2)}\n` +
    `</td><td>${escapeHtml(ws.client)}</td><td>${escapeHtml(ws.protocol)}</td>` +
    `<td nowrap>${escapeHtml(ws.vhost)}</td><td nowrap>${w.request}</td></tr>\n\n`
  );
}

const TEXT_MODE: Record<number, string> = {
  [SERVER_READY]: 'Ready',
  [SERVER_STARTING]: 'Starting',
  [SERVER_BUSY_READ]: '<b>Read</b>',
  [SERVER_BUSY_WRITE]: '<b>Write</b>',
  [SERVER_BUSY_KEEPALIVE]: '<b>Keepalive</b>',
  [SERVER_BUSY_LOG]: '<b>Logging</b>',
  [SERVER_BUSY_DNS]: '<b>DNS lookup</b>',
  [SERVER_CLOSING]: '<b>Closing</b>',
  [SERVER_DEAD]: 'Dead',
  [SERVER_GRACEFUL]: 'Graceful',
  [SERVER_IDLE_KILL]: 'Dying',
};

/** One worker of the ?notable page. */
function workerText(snap: ScoreboardSnapshot, i: number, ws: WorkerScore): string {
  const w = workerFacts(snap, i, ws);
  const pid = ws.status === SERVER_DEAD ? '-' : String(w.pid);
  return (
    `<b>Server ${i}-${w.gen}</b> (${pid}): ${ws.connCount}|${ws.myAccessCount}|${ws.accessCount} [` +
    `${TEXT_MODE[ws.status] ?? '?STATE?'}] ` +
    `u${aprG(tickSeconds(w.uTicks))} s${aprG(tickSeconds(w.sTicks))} cu${aprG(tickSeconds(0))} cs${aprG(tickSeconds(0))}` +
    `\n ${w.ss} ${w.reqTime} ${w.dur}(` +
    `${formatByteOut(ws.connBytes)}|${formatByteOut(ws.myBytesServed)}|${formatByteOut(ws.bytesServed)})\n` +
    ` <i>${escapeHtml(ws.client)} {${w.request}}</i> <i>(${escapeHtml(ws.protocol)})</i> <b>[${escapeHtml(ws.vhost)}]</b><br />\n\n`
  );
}
