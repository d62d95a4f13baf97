// One side of a comparison, summed up from what was observed: the events of
// the engine during the run, the driver's results, and memory samples. Pure
// (no Node, no DOM): the lab computes it live, the /compare page recomputes
// it when it replays a recorded run, and the tests feed it tables.
import type { EngineEvent } from './events.js';
import type { AppSpec, CompareTrackInput, DriverRequestResult } from './messages.js';

/** Sum of the USS of the engine's processes at one instant (kB). */
export interface MemorySample {
  ts: number;
  ussKb: number;
}

export interface CompareSummary {
  instance: string;
  mpm: string;
  backend: string;
  /** requests answered (any status) */
  served: number;
  /** requests with no response (refused, reset, timed out…) or a 5xx */
  failed: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** most workers busy at once (R W K L D C in the scoreboard) */
  peakBusy: number;
  /** most child processes alive at once */
  peakProcesses: number;
  /** most worker threads alive at once (a prefork child is one thread) */
  peakThreads: number;
  /** time between the client's completed handshake and the server's accept: summed over all connections, the longest, and how many waited over BACKLOG_QUEUED_MS; null when not measurable */
  backlog: { connections: number; totalMs: number; maxMs: number } | null;
  peakUssKb: number | null;
  /** the application behind /app/ (null: this side ran none) */
  app: AppSummary | null;
}

/** The application side of a run: who ran /app/, how many, and how full the pool got. */
export interface AppSummary {
  mode: 'fpm' | 'mod_php';
  /** responses that carried X-App-Pid */
  requests: number;
  /** distinct processes that ran the application */
  processesUsed: number;
  /** most application processes alive at once (mod_php: the MPM's children, each of which carries the application) */
  peakProcesses: number;
  /** the pool's listen queue at its longest, as its status showed it (once a second); null under mod_php or with no status seen */
  peakListenQueue: number | null;
  /** php-fpm's "max children reached" during the run: how often its process manager found the pool at pm.max_children; null under mod_php */
  maxChildrenReached: number | null;
}

export interface SideInput {
  instance: string;
  mpm: string;
  backend: string;
  /** scoreboard entries ("slot.thread" → letter) and live children when the run began */
  initialWorkers: Record<string, string>;
  initialChildren: number[];
  /** the engine's events from the start of the run to its end */
  events: EngineEvent[];
  results: DriverRequestResult[];
  memory: MemorySample[];
  /** what ran /app/ on this side; absent: no application */
  app?: 'fpm' | 'mod_php';
  /** fpm: the pool's processes alive when the run began, and its "max children reached" counter then */
  initialPool?: number[];
  initialMaxChildrenReached?: number;
}

const BUSY = new Set(['R', 'W', 'K', 'L', 'D', 'C']);
/** A connection counts as having queued when it waited longer than this (shorter is the accept hand-off itself). */
export const BACKLOG_QUEUED_MS = 10;

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  // nearest rank, as ab's percentage table
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(side: SideInput): CompareSummary {
  const workers = new Map(Object.entries(side.initialWorkers));
  const children = new Set(side.initialChildren);
  const busyNow = () => [...workers.values()].filter((l) => BUSY.has(l)).length;
  const threadsNow = () => [...workers.values()].filter((l) => l !== '.').length;
  let peakBusy = busyNow();
  let peakThreads = threadsNow();
  let peakProcesses = children.size;
  const opened = new Map<string, number>();
  const served = new Map<string, number>();
  for (const e of side.events) {
    switch (e.type) {
      case 'worker.status':
        workers.set(`${e.slot}.${e.thread}`, e.status);
        break;
      case 'scoreboard':
        // the periodic full picture replaces what the changes built up
        workers.clear();
        for (const p of e.processes) [...p.workers].forEach((l, t) => workers.set(`${p.slot}.${t}`, l));
        peakBusy = Math.max(peakBusy, e.busy);
        break;
      case 'child.spawn':
        children.add(e.pid);
        break;
      case 'child.exit':
        children.delete(e.pid);
        break;
      case 'conn.open':
        opened.set(e.connId, e.ts);
        break;
      case 'request.end':
        if (e.reqId === 1) served.set(e.connId, e.durationMs);
        break;
      default:
        continue;
    }
    peakBusy = Math.max(peakBusy, busyNow());
    peakThreads = Math.max(peakThreads, threadsNow());
    peakProcesses = Math.max(peakProcesses, children.size);
  }
  if (side.mpm === 'prefork') peakThreads = Math.max(peakThreads, peakProcesses);

  const ok = side.results.filter((r) => r.error === null && r.status !== null && r.status < 500);
  const ms = ok.map((r) => r.ms).sort((a, b) => a - b);

  // The wait between the client's completed handshake and the server's accept:
  // the accept itself (conn.open) where the engine reports it, else the client's
  // time for the connection's first request less the server's own (%D)
  const waits: number[] = [];
  let measured = false;
  for (const r of side.results) {
    if (r.connectedAt === undefined || r.connId === null) continue;
    const acceptedAt = opened.get(r.connId);
    const serverMs = served.get(r.connId);
    let wait: number | null = null;
    if (acceptedAt !== undefined) wait = acceptedAt - r.connectedAt;
    else if (serverMs !== undefined) wait = r.ms - serverMs;
    if (wait === null) continue;
    measured = true;
    waits.push(Math.max(0, wait));
  }
  const peakUss = side.memory.length ? Math.max(...side.memory.map((m) => m.ussKb)) : null;
  return {
    instance: side.instance,
    mpm: side.mpm,
    backend: side.backend,
    served: side.results.filter((r) => r.status !== null).length,
    failed: side.results.length - ok.length,
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
    peakBusy,
    peakProcesses,
    peakThreads,
    backlog: measured ? { connections: waits.filter((w) => w > BACKLOG_QUEUED_MS).length, totalMs: round(waits.reduce((a, b) => a + b, 0)), maxMs: round(Math.max(0, ...waits)) } : null,
    peakUssKb: peakUss,
    app: side.app ? summarizeApp(side, peakProcesses) : null,
  };
}

function summarizeApp(side: SideInput, mpmPeakProcesses: number): AppSummary {
  const answered = side.results.filter((r) => r.appPid !== undefined && r.appPid !== null);
  const used = new Set(answered.map((r) => r.appPid));
  if (side.app === 'mod_php') {
    // the application lives in every MPM child: as many copies as children
    return { mode: 'mod_php', requests: answered.length, processesUsed: used.size, peakProcesses: mpmPeakProcesses, peakListenQueue: null, maxChildrenReached: null };
  }
  const alive = new Set(side.initialPool ?? []);
  let peak = alive.size;
  let queue: number | null = null;
  const base = side.initialMaxChildrenReached ?? 0;
  let reached = 0;
  for (const e of side.events) {
    if (e.type === 'pool.spawn') alive.add(e.pid);
    else if (e.type === 'pool.exit') alive.delete(e.pid);
    else if (e.type === 'pool.status') {
      peak = Math.max(peak, e.idle + e.active);
      queue = Math.max(queue ?? 0, e.listenQueue);
      reached = Math.max(reached, e.maxChildrenReached - base);
    } else if (e.type === 'pool.request') alive.add(e.pid);
    else continue;
    peak = Math.max(peak, alive.size);
  }
  return { mode: 'fpm', requests: answered.length, processesUsed: used.size, peakProcesses: peak, peakListenQueue: queue, maxChildrenReached: reached };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** One side's engine as the page starts it (engine.start): its MPM, server, configuration and application. */
export interface CompareSideSpec {
  mpm: 'prefork' | 'worker' | 'event';
  backend: 'node' | 'httpd';
  config: string;
  app?: AppSpec;
}

/** The sides /compare starts with: few workers each, so the difference shows. */
export const COMPARE_DEFAULT_SIDES: CompareSideSpec[] = [
  { mpm: 'prefork', backend: 'node', config: 'StartServers 5\nMinSpareServers 2\nMaxSpareServers 5\nMaxRequestWorkers 10\nLogLevel info\n' },
  { mpm: 'event', backend: 'node', config: 'StartServers 1\nThreadsPerChild 10\nMinSpareThreads 2\nMaxSpareThreads 10\nMaxRequestWorkers 10\nLogLevel info\n' },
];

/** The PHP comparison: the application inside every prefork child (mod_php) vs a separately sized pool behind event (PHP-FPM). */
export const COMPARE_APP_SIDES: CompareSideSpec[] = [
  { mpm: 'prefork', backend: 'node', config: 'StartServers 4\nMinSpareServers 2\nMaxSpareServers 6\nMaxRequestWorkers 10\nLogLevel info\n', app: { mode: 'mod_php' } },
  {
    mpm: 'event',
    backend: 'node',
    config: 'StartServers 1\nServerLimit 1\nThreadsPerChild 10\nMinSpareThreads 2\nMaxSpareThreads 10\nMaxRequestWorkers 10\nLogLevel info\n',
    app: { mode: 'fpm', pool: '[www]\npm = dynamic\npm.max_children = 4\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\n' },
  },
];

/** The comparison the page offers first: the issue's own example. `sides`: the engines the script is meant for (the page offers to use them). */
export const COMPARE_PRESETS: Array<{ id: string; label: string; tracks: CompareTrackInput[]; sides?: CompareSideSpec[] }> = [
  {
    id: 'keepalive-and-burst',
    label: '20 keep-alive clients (3 requests, 2 s apart) + a burst of 50 HTTP/1.0',
    tracks: [
      { label: '20 clients, each one keep-alive connection with 3 requests 2 s apart', steps: [{ mode: 'burst', connections: 20, requests: 3, keepalive: true, thinkMs: 2000 }] },
      { label: 'a burst of 50 HTTP/1.0 requests, 1 s in', afterMs: 1000, steps: [{ mode: 'burst', connections: 50, requests: 1, version: '1.0' }] },
    ],
  },
  {
    id: 'slow-requests',
    label: '30 slow requests (/sleep?ms=1000) at once',
    tracks: [{ label: '30 connections × 1 request to /sleep?ms=1000', steps: [{ mode: 'burst', connections: 30, requests: 1, path: '/sleep?ms=1000' }] }],
  },
  {
    id: 'idle-keepalive',
    label: '40 idle keep-alive connections + 20 quick requests',
    tracks: [
      { label: '40 keep-alive connections, 2 requests 3 s apart', steps: [{ mode: 'burst', connections: 40, requests: 2, keepalive: true, thinkMs: 3000 }] },
      { label: '20 HTTP/1.0 requests one after the other, 0.5 s in', afterMs: 500, steps: [{ mode: 'sequential', n: 20, version: '1.0' }] },
    ],
  },
  {
    id: 'php',
    label: 'PHP: 8 keep-alive clients (3 × /app/sleep?ms=200, 1 s apart) + a burst of 10 /app/ requests',
    tracks: [
      { label: '8 clients, each one keep-alive connection with 3 requests to /app/sleep?ms=200, 1 s apart', steps: [{ mode: 'burst', connections: 8, requests: 3, keepalive: true, thinkMs: 1000, path: '/app/sleep?ms=200' }] },
      { label: 'a burst of 10 requests to /app/sleep?ms=200, 0.3 s in', afterMs: 300, steps: [{ mode: 'burst', connections: 10, requests: 1, path: '/app/sleep?ms=200' }] },
    ],
    sides: COMPARE_APP_SIDES,
  },
];

