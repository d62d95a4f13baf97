// The parent's scoreboard: httpd's shared-memory image, written only by the
// parent from what children report. Record keeping follows scoreboard.c
// (ap_update_child_status_from_indexes, ap_increment_counts).
import { procStat } from '../../platform/proc.js';
import {
  SERVER_DEAD,
  SERVER_READY,
  SERVER_STARTING,
  emptyProcess,
  emptyWorker,
  type ScoreboardSnapshot,
  type ServerStatus,
  type WorkerScore,
  type ProcessScore,
} from '../scoreboard.js';

const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in these ticks

export interface StaticInfo {
  mpm: string;
  isAsync: boolean;
  serverVersion: string;
  serverBuilt: string;
  serverName: string;
}

export class ScoreboardStore {
  servers: WorkerScore[][] = [];
  parent: ProcessScore[] = [];
  runningGeneration = 0;
  restartTime = Date.now();

  constructor(
    readonly serverLimit: number,
    readonly threadLimit: number,
  ) {
    this.reset();
  }

  /** A hard restart clears the scoreboard: statistics, restart time, uptime. */
  reset(): void {
    this.servers = Array.from({ length: this.serverLimit }, () => Array.from({ length: this.threadLimit }, emptyWorker));
    this.parent = Array.from({ length: this.serverLimit }, emptyProcess);
    this.restartTime = Date.now();
  }

  worker(slot: number, thread: number): WorkerScore {
    return this.servers[slot][thread];
  }

  /**
   * make_child: the slot is the new child's, its threads S. `threads` is how
   * many, or which ones when a worker child takes over the slot of one still
   * finishing (the other entries stay the old child's until its threads exit).
   */
  noteChildStarting(slot: number, pid: number, generation: number, threads: number | readonly number[]): void {
    this.parent[slot] = { ...emptyProcess(), pid, generation };
    this.claimThreads(slot, pid, generation, typeof threads === 'number' ? Array.from({ length: threads }, (_, j) => j) : threads);
  }

  /**
   * The parent reaped the child: its thread entries are dead, and the slot is
   * open again unless a newer child took it over. Returns the entries that changed.
   */
  noteChildKilled(slot: number, pid: number): number[] {
    const owner = this.parent[slot].pid === pid;
    if (owner) this.parent[slot] = emptyProcess();
    const changed: number[] = [];
    this.servers[slot].forEach((ws, j) => {
      if (owner || ws.pid === pid) {
        if (ws.status !== SERVER_DEAD || ws.pid) changed.push(j);
        ws.status = SERVER_DEAD;
        ws.pid = 0;
        ws.tid = 0;
      }
    });
    return changed;
  }

  /**
   * Thread entries a child starts threads in: at its start, later as a squatting
   * worker child's predecessor leaves them, or as netware/mpmt_os2 grow a pool.
   */
  claimThreads(slot: number, pid: number, generation: number, threads: readonly number[]): void {
    for (const j of threads) {
      const ws = this.servers[slot][j];
      ws.status = SERVER_STARTING;
      ws.pid = pid;
      ws.generation = generation;
      // a new thread in the entry: its own counters start over, the slot's stay
      ws.myAccessCount = 0;
      ws.myBytesServed = 0;
      ws.connCount = 0;
      ws.connBytes = 0;
    }
  }

  setStatus(slot: number, thread: number, status: ServerStatus, info?: { tid?: number; client?: string; request?: string; protocol?: string; connId?: string }): void {
    const ws = this.servers[slot][thread];
    ws.status = status;
    if (status === SERVER_READY) {
      ws.connId = '';
    }
    if (info) {
      if (info.tid) ws.tid = info.tid;
      if (info.connId !== undefined) ws.connId = info.connId;
      if (info.client !== undefined) ws.client = info.client.slice(0, 63);
      if (info.request !== undefined) ws.request = info.request.slice(0, 63);
      if (info.protocol !== undefined) ws.protocol = info.protocol.slice(0, 15);
    }
  }

  /** A new connection on this worker: the per-connection counters start over. */
  noteConnection(slot: number, thread: number): void {
    const ws = this.servers[slot][thread];
    ws.connCount = 0;
    ws.connBytes = 0;
  }

  /** ap_increment_counts + the request times mod_status shows. */
  noteRequest(slot: number, thread: number, r: { bytes: number; durationMs: number; startTime: number }): void {
    const ws = this.servers[slot][thread];
    ws.accessCount++;
    ws.myAccessCount++;
    ws.connCount++;
    ws.bytesServed += r.bytes;
    ws.myBytesServed += r.bytes;
    ws.connBytes += r.bytes;
    ws.durationMs += r.durationMs;
    ws.startTime = r.startTime;
    ws.stopTime = r.startTime + r.durationMs;
    ws.lastUsed = Date.now();
  }

  snapshot(info: StaticInfo & { maxDaemons: number; threadsPerChild: number; configGeneration: number; extendedStatus: boolean }): ScoreboardSnapshot {
    const parent = this.parent.map((p) => (p.pid ? { ...p, ...procCpu(p.pid) } : { ...p }));
    return {
      global: { serverLimit: this.serverLimit, threadLimit: this.threadLimit, runningGeneration: this.runningGeneration, restartTime: this.restartTime },
      parent,
      servers: this.servers.map((row) => row.map((w) => ({ ...w }))),
      maxDaemons: info.maxDaemons,
      threadsPerChild: info.threadsPerChild,
      mpm: info.mpm,
      isAsync: info.isAsync,
      serverVersion: info.serverVersion,
      serverBuilt: info.serverBuilt,
      serverName: info.serverName,
      configGeneration: info.configGeneration,
      extendedStatus: info.extendedStatus,
      parentCpu: selfCpu(),
      now: Date.now(),
    };
  }
}

/** utime, stime (and cutime, cstime) of a process, in seconds, from /proc/<pid>/stat. */
function statTimes(pid: number | 'self'): number[] | null {
  // fields after "(comm)": state ppid … utime is field 14 overall, i.e. index 11 here
  const f = procStat(pid);
  return f && [f[11], f[12], f[13], f[14]].map((x) => Number(x) / CLK_TCK);
}

function procCpu(pid: number): { cpuUser: number; cpuSystem: number } {
  const t = statTimes(pid);
  return t ? { cpuUser: t[0], cpuSystem: t[1] } : { cpuUser: 0, cpuSystem: 0 };
}

function selfCpu(): ScoreboardSnapshot['parentCpu'] {
  const t = statTimes('self');
  return t ? { user: t[0], system: t[1], childrenUser: t[2], childrenSystem: t[3] } : { user: 0, system: 0, childrenUser: 0, childrenSystem: 0 };
}
