// The scoreboard: httpd's shared-memory table of processes and workers
// (include/scoreboard.h), kept here in the parent. Children report every
// transition over IPC; the parent is the only writer, so a snapshot is always
// consistent. Names and numbering follow scoreboard.h.
import { STATUS_KEY, STATUS_LETTER, type StatusLetter } from '../protocol/scoreboard.js';

export const SERVER_DEAD = 0;
export const SERVER_STARTING = 1; /* Server Starting up */
export const SERVER_READY = 2; /* Waiting for connection (or accept() lock) */
export const SERVER_BUSY_READ = 3; /* Reading a client request */
export const SERVER_BUSY_WRITE = 4; /* Processing a client request */
export const SERVER_BUSY_KEEPALIVE = 5; /* Waiting for more requests via keepalive */
export const SERVER_BUSY_LOG = 6; /* Logging the request */
export const SERVER_BUSY_DNS = 7; /* Looking up a hostname (never set on Unix) */
export const SERVER_CLOSING = 8; /* Closing the connection */
export const SERVER_GRACEFUL = 9; /* server is gracefully finishing request */
export const SERVER_IDLE_KILL = 10; /* Server is cleaning up idle children (never set on Unix) */
export const SERVER_NUM_STATUS = 11;

export type ServerStatus = number;

/** mod_status's status_flags[] (the letter shown for each status) and its key live in the protocol. */
export { STATUS_KEY, STATUS_LETTER, type StatusLetter };

export function statusFromLetter(letter: string): ServerStatus {
  const i = (STATUS_LETTER as readonly string[]).indexOf(letter);
  if (i < 0) throw new Error(`unknown scoreboard letter '${letter}'`);
  return i;
}

/** One worker record (worker_score). Times are epoch milliseconds. */
export interface WorkerScore {
  status: ServerStatus;
  pid: number;
  tid: number;
  generation: number;
  /** accesses this slot (kept across the children that used the slot) */
  accessCount: number;
  bytesServed: number;
  /** accesses by the current child in this slot */
  myAccessCount: number;
  myBytesServed: number;
  /** accesses and bytes on the current connection */
  connCount: number;
  connBytes: number;
  /** total milliseconds spent in requests (mod_status "Dur") */
  durationMs: number;
  startTime: number;
  stopTime: number;
  lastUsed: number;
  client: string;
  protocol: string;
  vhost: string;
  request: string;
  connId: string;
}

/** One process record (process_score). */
export interface ProcessScore {
  pid: number;
  generation: number;
  quiescing: boolean;
  notAccepting: boolean;
  /** event MPM's per-process connection counters (0 for prefork/worker) */
  connections: number;
  writeCompletion: number;
  keepAlive: number;
  lingeringClose: number;
  suspended: number;
  waitIo: number;
  /** CPU seconds (user, system) of this process, read from /proc when a snapshot is taken */
  cpuUser: number;
  cpuSystem: number;
}

export interface GlobalScore {
  serverLimit: number;
  threadLimit: number;
  runningGeneration: number;
  /** epoch ms; reset by a hard restart only */
  restartTime: number;
}

/** Everything mod_status needs, as one serialisable value. */
export interface ScoreboardSnapshot {
  global: GlobalScore;
  parent: ProcessScore[];
  servers: WorkerScore[][];
  /** process limit (AP_MPMQ_MAX_DAEMONS): slots at or past it are "disabled" when dead */
  maxDaemons: number;
  threadsPerChild: number;
  mpm: string;
  isAsync: boolean;
  serverVersion: string;
  serverBuilt: string;
  serverName: string;
  configGeneration: number;
  extendedStatus: boolean;
  /** CPU seconds of the parent and of reaped children (tms_utime…tms_cstime) */
  parentCpu: { user: number; system: number; childrenUser: number; childrenSystem: number };
  /** epoch ms when the snapshot was taken */
  now: number;
}

export function emptyWorker(): WorkerScore {
  return {
    status: SERVER_DEAD,
    pid: 0,
    tid: 0,
    generation: 0,
    accessCount: 0,
    bytesServed: 0,
    myAccessCount: 0,
    myBytesServed: 0,
    connCount: 0,
    connBytes: 0,
    durationMs: 0,
    startTime: 0,
    stopTime: 0,
    lastUsed: 0,
    client: '',
    protocol: '',
    vhost: '',
    request: '',
    connId: '',
  };
}

export function emptyProcess(): ProcessScore {
  return {
    pid: 0,
    generation: 0,
    quiescing: false,
    notAccepting: false,
    connections: 0,
    writeCompletion: 0,
    keepAlive: 0,
    lingeringClose: 0,
    suspended: 0,
    waitIo: 0,
    cpuUser: 0,
    cpuSystem: 0,
  };
}

/** The scoreboard string of mod_status (`Scoreboard:` line): row-major, disabled slots skipped. */
export function scoreboardString(s: Pick<ScoreboardSnapshot, 'servers' | 'maxDaemons' | 'threadsPerChild'>): string {
  let out = '';
  for (let i = 0; i < s.servers.length; i++) {
    const row = s.servers[i];
    for (let j = 0; j < row.length; j++) {
      const st = row[j].status;
      if ((i >= s.maxDaemons || j >= s.threadsPerChild) && st === SERVER_DEAD) continue;
      out += STATUS_LETTER[st];
    }
  }
  return out;
}
