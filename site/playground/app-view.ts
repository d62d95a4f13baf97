// The application behind /app/, as the page draws it: its processes (a PHP-FPM
// pool's from pool.spawn/exit/request; under mod_php the MPM children that ran
// it), a bar per application request, and the links "MPM worker pid:tid →
// application process" read from each request.end's appPid. Pure (no DOM), fed
// by the playground store with the same events as everything else.
import type { EngineEvent, EventOf } from '../../engine/protocol/events.js';

export interface AppProcess {
  pid: number;
  /** the pool's name ([www]); null under mod_php (an MPM child) */
  pool: string | null;
  spawnedAt: number | null;
  exitedAt: number | null;
  exitReason?: string;
  /** application requests it finished */
  served: number;
}

export interface AppBar {
  appPid: number;
  start: number;
  end: number;
  uri: string;
  /** the MPM worker that relayed it (from request.end), once known */
  mpm: { pid: number; tid: number; slot: number; thread: number } | null;
}

/** One MPM worker → application process pair, and how many /app/ requests went that way. */
export interface AppLink {
  mpmPid: number;
  tid: number;
  slot: number;
  thread: number;
  appPid: number;
  requests: number;
  /** when the last one ended (engine clock) */
  last: number;
}

export interface AppView {
  /** what runs /app/: a pool (fpm), the MPM's children (mod_php); null: nothing (yet) */
  mode: 'fpm' | 'mod_php' | null;
  processes: AppProcess[];
  bars: AppBar[];
  links: AppLink[];
  /** the pool's last status (once a second) */
  status: EventOf<'pool.status'> | null;
  /** "connId#reqId" → the application process that ran that MPM request */
  byRequest: Map<string, number>;
}

export const APP_LIMITS = { bars: 5000, requests: 5000 };

export function emptyAppView(): AppView {
  return { mode: null, processes: [], bars: [], links: [], status: null, byRequest: new Map() };
}

/** Colour-blind-safe colours (Okabe–Ito), one per application process in order of appearance. */
export const APP_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#8a6d00', '#56b4e9', '#6a3d9a', '#555555'];

export function appColor(v: AppView, appPid: number): string {
  const i = v.processes.findIndex((p) => p.pid === appPid);
  return APP_COLORS[(i < 0 ? 0 : i) % APP_COLORS.length];
}

/** A pool.request and the request.end that relayed it arrive in either order: they pair within this many ms. */
const PAIR_MS = 250;

export class AppTracker {
  /** request.end events not yet paired with their pool.request (fpm) */
  private unpaired: Array<EventOf<'request.end'> & { appPid: number }> = [];

  constructor(readonly view: AppView) {}

  setMode(mode: 'fpm' | 'mod_php' | undefined): void {
    if (mode) this.view.mode = mode;
  }

  private process(pid: number, pool: string | null): AppProcess {
    let p = this.view.processes.find((x) => x.pid === pid && x.exitedAt === null) ?? this.view.processes.find((x) => x.pid === pid);
    if (!p) {
      p = { pid, pool, spawnedAt: null, exitedAt: null, served: 0 };
      this.view.processes.push(p);
    }
    return p;
  }

  private bar(b: AppBar): void {
    this.view.bars.push(b);
    if (this.view.bars.length > APP_LIMITS.bars) this.view.bars.splice(0, this.view.bars.length - APP_LIMITS.bars);
  }

  /** an MPM child ended: under mod_php its copy of the application ended with it */
  childExit(pid: number, ts: number, reason: string): void {
    if (this.view.mode !== 'mod_php') return;
    const p = this.view.processes.find((x) => x.pid === pid && x.exitedAt === null);
    if (p) {
      p.exitedAt = ts;
      p.exitReason = reason;
    }
  }

  event(e: EngineEvent): void {
    const v = this.view;
    switch (e.type) {
      case 'pool.spawn': {
        v.mode ??= 'fpm';
        const p = this.process(e.pid, e.pool);
        p.spawnedAt ??= e.ts;
        break;
      }
      case 'pool.exit': {
        const p = this.process(e.pid, e.pool);
        p.exitedAt = e.ts;
        p.exitReason = e.reason;
        break;
      }
      case 'pool.status':
        v.mode ??= 'fpm';
        v.status = e;
        break;
      case 'pool.request': {
        v.mode ??= 'fpm';
        this.process(e.pid, e.pool).served++;
        const b: AppBar = { appPid: e.pid, start: e.ts - e.durationMs, end: e.ts, uri: e.uri, mpm: null };
        const i = this.unpaired.findIndex((r) => r.appPid === e.pid && Math.abs(r.ts - e.ts) <= PAIR_MS);
        if (i >= 0) b.mpm = who(this.unpaired.splice(i, 1)[0]);
        this.bar(b);
        break;
      }
      case 'request.end': {
        // X-App-Pid: /app/ requests only
        const appPid = e.appPid;
        if (appPid === undefined) break;
        v.byRequest.set(`${e.connId}#${e.reqId}`, appPid);
        if (v.byRequest.size > APP_LIMITS.requests) v.byRequest.delete(v.byRequest.keys().next().value!);
        let l = v.links.find((x) => x.mpmPid === e.pid && x.tid === e.tid && x.appPid === appPid);
        if (!l) v.links.push((l = { mpmPid: e.pid, tid: e.tid, slot: e.slot, thread: e.thread, appPid, requests: 0, last: e.ts }));
        l.requests++;
        l.last = e.ts;
        if (appPid === e.pid) {
          // mod_php: the MPM child ran it; its bar is the request itself
          v.mode ??= 'mod_php';
          if (v.mode !== 'mod_php') break;
          this.process(appPid, null).served++;
          this.bar({ appPid, start: e.ts - e.durationMs, end: e.ts, uri: e.path, mpm: who(e) });
          break;
        }
        // fpm: pair it with its pool.request, whichever came first
        const b = [...v.bars].reverse().slice(0, 64).find((x) => x.appPid === appPid && x.mpm === null && Math.abs(x.end - e.ts) <= PAIR_MS);
        if (b) b.mpm = who(e);
        else {
          this.unpaired.push({ ...e, appPid });
          if (this.unpaired.length > 64) this.unpaired.shift();
        }
        break;
      }
    }
  }
}

function who(e: EventOf<'request.end'>): AppBar['mpm'] {
  return { pid: e.pid, tid: e.tid, slot: e.slot, thread: e.thread };
}
