// One side of a comparison, summed up from what was observed: the events of
// the engine during the run, the driver's results, and memory samples. Pure
// (no Node, no DOM): the lab computes it live, the /compare page recomputes
// it when it replays a recorded run, and the tests feed it tables.
import type { EngineEvent } from './events.js';
import type { CompareTrackInput, DriverRequestResult } from './messages.js';

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
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** The sides /compare starts with: few workers each, so the difference shows. */
export const COMPARE_DEFAULT_SIDES: Array<{ mpm: 'prefork' | 'event'; backend: 'node'; config: string }> = [
  { mpm: 'prefork', backend: 'node', config: 'StartServers 5\nMinSpareServers 2\nMaxSpareServers 5\nMaxRequestWorkers 10\nLogLevel info\n' },
  { mpm: 'event', backend: 'node', config: 'StartServers 1\nThreadsPerChild 10\nMinSpareThreads 2\nMaxSpareThreads 10\nMaxRequestWorkers 10\nLogLevel info\n' },
];

/** The comparison the page offers first: the issue's own example. */
export const COMPARE_PRESETS: Array<{ id: string; label: string; tracks: CompareTrackInput[] }> = [
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
];

