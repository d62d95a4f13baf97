// The playground's view model: server messages in, what the panels draw out.
// Pure and synchronous (no DOM), so it is unit-tested with recorded events, and
// the same code serves live and replayed streams.
import type { EngineEvent, EventOf } from '../../engine/protocol/events.js';
import type { InstanceSnapshot, ServerMessage } from '../../engine/protocol/messages.js';
import { AppTracker, emptyAppView, type AppView } from './app-view.js';

export type Letter = EventOf<'worker.status'>['status'];

export interface WorkerCell {
  slot: number;
  thread: number;
  status: Letter;
  pid: number;
  generation: number;
  connId?: string;
  /** the last request this worker finished, as %r */
  lastRequest?: string;
}

export interface ProcessGroup {
  slot: number;
  pid: number;
  generation: number;
  workers: WorkerCell[];
}

export interface RequestRow {
  /** 1-based, in the order the engine finished them */
  n: number;
  ts: number;
  pid: number;
  tid: number;
  slot: number;
  thread: number;
  generation: number | null;
  keepalive: number;
  connStatus: string;
  connId: string;
  reqId: number;
  status: number;
  request: string;
  durationMs: number;
}

/** One bar of the timeline: a request being served, or a kept-alive connection waiting. */
export interface Bar {
  lane: string;
  kind: 'request' | 'keepalive';
  start: number;
  end: number | null;
  connId: string;
  /** request number on the connection (1-based) and %k for request bars */
  reqId?: number;
  keepalive?: number;
  n?: number;
}

export interface Lane {
  key: string;
  slot: number;
  thread: number;
  pid: number;
  generation: number;
  spawnedAt: number | null;
  exitedAt: number | null;
  exitReason?: string;
}

export interface InstanceView {
  id: string;
  mpm: string;
  /** node: MPM Lab's engine; httpd: real Apache httpd */
  backend: string;
  port: number;
  pid: number;
  state: string;
  generation: number;
  config: string;
  processes: ProcessGroup[];
  /** one letter per slot: the last mod_status string with live changes applied since */
  slots: string;
  /** letters per process slot in `slots` (ThreadsPerChild; 1 for prefork) */
  width: number;
  counts: { busy: number; idle: number; graceful: number; dead: number };
  requests: RequestRow[];
  lanes: Lane[];
  bars: Bar[];
  errorLog: string[];
  accessLog: string[];
  /** the application behind /app/ (a PHP-FPM pool, or mod_php in the MPM's children) */
  app: AppView;
  /** events the stream said it could not deliver */
  dropped: number;
  /** the newest event time seen, on the engine's monotonic clock */
  now: number;
  /** bumped by every change: views redraw only when it moved */
  version: number;
}

export const LIMITS = { requests: 5000, bars: 10000, log: 500 };

const BUSY = new Set<Letter>(['R', 'W', 'K', 'L', 'D', 'C']);

function emptyView(id: string): InstanceView {
  return {
    id,
    mpm: '',
    backend: 'node',
    port: 0,
    pid: 0,
    state: 'starting',
    generation: 0,
    config: '',
    processes: [],
    slots: '',
    width: 1,
    counts: { busy: 0, idle: 0, graceful: 0, dead: 0 },
    requests: [],
    lanes: [],
    bars: [],
    errorLog: [],
    accessLog: [],
    app: emptyAppView(),
    dropped: 0,
    now: 0,
    version: 0,
  };
}

/** %P %{tid}P %k %X "%r" %>s — who served it, in access-log form. */
export function accessLogLine(e: EventOf<'request.end'>): string {
  return `${e.pid} ${e.tid} ${e.keepalive} ${e.connStatus} "${e.request}" ${e.status}`;
}

function trim<T>(a: T[], max: number): void {
  if (a.length > max) a.splice(0, a.length - max);
}

class Instance {
  readonly view: InstanceView;
  private workers = new Map<string, WorkerCell>();
  private pids = new Map<number, { slot: number; generation: number }>();
  private lanes = new Map<string, Lane>();
  private openBars = new Map<string, Bar>();
  private keepBars = new Map<string, Bar>();
  private served = 0;
  private board = '';
  /** threads per process in the scoreboard string (1 for prefork) */
  private width = 1;
  readonly app: AppTracker;

  constructor(id: string) {
    this.view = emptyView(id);
    this.app = new AppTracker(this.view.app);
  }

  fromSnapshot(s: InstanceSnapshot): void {
    this.app.setMode(s.app);
    for (const p of s.pool?.processes ?? []) this.app.event({ type: 'pool.spawn', ts: p.ts, pool: p.pool, pid: p.pid });
    if (s.pool?.status) this.app.event(s.pool.status);
    for (const c of s.children) this.pids.set(c.pid, { slot: c.slot, generation: c.generation });
    if (s.scoreboard) this.event(s.scoreboard);
    for (const e of s.recent) this.event(e);
    for (const e of Object.values(s.workers)) this.event(e);
    // the summary is the newest fact about the engine
    Object.assign(this.view, { mpm: s.mpm, backend: s.backend, port: s.port, pid: s.pid, state: s.state, generation: s.generation, config: s.config });
    this.regroup();
  }

  lane(pid: number, thread: number, slot: number, at: number): Lane {
    const key = `${pid}:${thread}`;
    let l = this.lanes.get(key);
    if (!l) {
      l = { key, slot, thread, pid, generation: this.pids.get(pid)?.generation ?? this.view.generation, spawnedAt: null, exitedAt: null };
      this.lanes.set(key, l);
      this.view.lanes.push(l);
      this.view.lanes.sort((a, b) => a.slot - b.slot || a.thread - b.thread || (a.spawnedAt ?? at) - (b.spawnedAt ?? at));
    }
    return l;
  }

  private bar(b: Bar): void {
    this.view.bars.push(b);
    trim(this.view.bars, LIMITS.bars);
  }

  event(e: EngineEvent): void {
    const v = this.view;
    v.version++;
    if (e.ts > v.now) v.now = e.ts;
    this.app.event(e);
    switch (e.type) {
      case 'engine.state':
        v.state = e.state;
        v.generation = e.generation;
        // the server's own parent (real httpd's, for the httpd backend)
        if (e.state === 'running') v.pid = e.pid;
        break;
      case 'child.spawn': {
        this.pids.set(e.pid, { slot: e.slot, generation: e.generation });
        this.lane(e.pid, 0, e.slot, e.ts).spawnedAt = e.ts;
        break;
      }
      case 'child.exit': {
        this.pids.delete(e.pid);
        this.app.childExit(e.pid, e.ts, e.reason);
        for (const l of this.view.lanes) {
          if (l.pid === e.pid && l.exitedAt === null) {
            l.exitedAt = e.ts;
            l.exitReason = e.reason;
          }
        }
        for (const [k, w] of this.workers) if (w.pid === e.pid) this.workers.delete(k);
        break;
      }
      case 'worker.status': {
        const key = `${e.slot}.${e.thread}`;
        if (e.status === '.') this.workers.delete(key);
        else {
          const prev = this.workers.get(key);
          this.workers.set(key, {
            slot: e.slot,
            thread: e.thread,
            status: e.status,
            pid: e.pid,
            generation: this.pids.get(e.pid)?.generation ?? prev?.generation ?? v.generation,
            connId: e.connId ?? (e.status === '_' ? undefined : prev?.connId),
            lastRequest: prev?.pid === e.pid ? prev.lastRequest : undefined,
          });
        }
        break;
      }
      case 'request.start': {
        const lane = this.lane(e.pid, e.thread, e.slot, e.ts);
        const waiting = this.keepBars.get(e.connId);
        if (waiting) {
          waiting.end = e.ts;
          this.keepBars.delete(e.connId);
        }
        const b: Bar = { lane: lane.key, kind: 'request', start: e.ts, end: null, connId: e.connId, reqId: e.reqId };
        this.openBars.set(`${e.connId}#${e.reqId}`, b);
        this.bar(b);
        break;
      }
      case 'request.end': {
        this.served++;
        const row: RequestRow = {
          n: this.served,
          ts: e.ts,
          pid: e.pid,
          tid: e.tid,
          slot: e.slot,
          thread: e.thread,
          generation: this.pids.get(e.pid)?.generation ?? null,
          keepalive: e.keepalive,
          connStatus: e.connStatus,
          connId: e.connId,
          reqId: e.reqId,
          status: e.status,
          request: e.request,
          durationMs: e.durationMs,
        };
        v.requests.push(row);
        trim(v.requests, LIMITS.requests);
        v.accessLog.push(accessLogLine(e));
        trim(v.accessLog, LIMITS.log);
        const w = this.workers.get(`${e.slot}.${e.thread}`);
        if (w && w.pid === e.pid) w.lastRequest = e.request;
        const key = `${e.connId}#${e.reqId}`;
        let b = this.openBars.get(key);
        if (!b) {
          // the start came before we were watching: draw it from its duration
          b = { lane: this.lane(e.pid, e.thread, e.slot, e.ts).key, kind: 'request', start: e.ts - e.durationMs, end: null, connId: e.connId, reqId: e.reqId };
          this.bar(b);
        }
        this.openBars.delete(key);
        b.end = e.ts;
        b.keepalive = e.keepalive;
        b.n = row.n;
        if (e.connection === 'keep') {
          const k: Bar = { lane: b.lane, kind: 'keepalive', start: e.ts, end: null, connId: e.connId };
          this.keepBars.set(e.connId, k);
          this.bar(k);
        }
        break;
      }
      case 'conn.close': {
        const k = this.keepBars.get(e.connId);
        if (k) {
          k.end = e.ts;
          this.keepBars.delete(e.connId);
        }
        break;
      }
      case 'log':
        v.errorLog.push(e.line);
        trim(v.errorLog, LIMITS.log);
        break;
      case 'scoreboard':
        this.board = e.scoreboard;
        this.width = Math.max(1, ...e.processes.map((p) => p.workers.length));
        v.generation = e.generation;
        for (const p of e.processes) if (!this.pids.has(p.pid)) this.pids.set(p.pid, { slot: p.slot, generation: p.generation });
        break;
      case 'conn.open':
      case 'backlog':
      case 'pool.spawn':
      case 'pool.exit':
      case 'pool.request':
      case 'pool.status':
        break;
    }
  }

  regroup(): void {
    const groups = new Map<number, ProcessGroup>();
    const counts = { busy: 0, idle: 0, graceful: 0, dead: 0 };
    for (const w of this.workers.values()) {
      let g = groups.get(w.slot);
      if (!g) groups.set(w.slot, (g = { slot: w.slot, pid: w.pid, generation: w.generation, workers: [] }));
      g.workers.push(w);
      if (w.status === '_') counts.idle++;
      else if (w.status === 'G') counts.graceful++;
      else if (BUSY.has(w.status)) counts.busy++;
    }
    const processes = [...groups.values()].sort((a, b) => a.slot - b.slot);
    // the string is ThreadsPerChild letters per process slot (one for prefork);
    // live worker.status events are newer than the last snapshot
    const width = this.width;
    const slots = [...this.board];
    for (const w of this.workers.values()) if (w.thread < width) slots[w.slot * width + w.thread] = w.status;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] !== '.' && this.board.length && !this.workers.has(`${Math.floor(i / width)}.${i % width}`)) slots[i] = '.';
    }
    counts.dead = slots.filter((c) => c === '.').length;
    this.view.slots = slots.map((c) => c ?? '.').join('');
    this.view.width = width;
    for (const g of processes) g.workers.sort((a, b) => a.thread - b.thread);
    this.view.processes = processes;
    this.view.counts = counts;
  }
}

export type Mode = 'connecting' | 'live' | 'replay' | 'disconnected';

export interface StoreState {
  mode: Mode;
  /** a sentence for the learner when something is wrong */
  hint: string;
  recording: boolean;
  /** the lab's slow-motion factor (1 = real time) */
  slowmo: number;
  instances: Map<string, InstanceView>;
}

/** Applies server messages; notifies listeners at most once per animation frame (the caller decides when). */
export class PlaygroundStore {
  readonly state: StoreState = { mode: 'connecting', hint: '', recording: false, slowmo: 1, instances: new Map() };
  private readonly inst = new Map<string, Instance>();
  private listeners = new Set<() => void>();
  /** engine clock → wall clock, from hello; for event-to-screen latency */
  clockOffset: number | null = null;

  subscribe(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  notify(): void {
    for (const f of this.listeners) f();
  }

  setMode(mode: Mode, hint = ''): void {
    this.state.mode = mode;
    this.state.hint = hint;
    this.notify();
  }

  private instance(id: string): Instance {
    let i = this.inst.get(id);
    if (!i) {
      i = new Instance(id);
      this.inst.set(id, i);
      this.state.instances.set(id, i.view);
    }
    return i;
  }

  apply(m: ServerMessage): void {
    switch (m.type) {
      case 'lab.settings':
        this.state.slowmo = m.slowmo;
        break;
      case 'hello':
        this.state.recording = m.recording;
        this.state.slowmo = m.slowmo ?? 1;
        if (m.clock) this.clockOffset = m.clock.wall - m.clock.mono;
        break;
      case 'snapshot':
        this.inst.clear();
        this.state.instances.clear();
        for (const s of m.instances) this.instance(s.id).fromSnapshot(s);
        break;
      case 'events': {
        const i = this.instance(m.instance);
        for (const e of m.events) i.event(e);
        i.regroup();
        break;
      }
      case 'instance.start': {
        const i = this.instance(m.instance.id);
        const { id: _id, report: _r, app, ...summary } = m.instance;
        Object.assign(i.view, summary);
        i.app.setMode(app);
        i.view.version++;
        break;
      }
      case 'dropped': {
        const v = this.instance(m.instance).view;
        v.dropped += m.count;
        v.version++;
        break;
      }
      case 'instance.exit': {
        const v = this.state.instances.get(m.instance);
        if (v) v.state = 'exited';
        this.inst.delete(m.instance);
        this.state.instances.delete(m.instance);
        break;
      }
      case 'result':
      case 'error':
      case 'raw.data':
      case 'raw.closed':
        return;
    }
    this.notify();
  }

  /** The wall-clock time an engine timestamp stands for (null before hello). */
  wallTime(ts: number): number | null {
    return this.clockOffset === null ? null : ts + this.clockOffset;
  }
}
