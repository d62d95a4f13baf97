// The one client API the site (and tests) use, with two implementations:
// live (the lab's control socket) and replay (a recorded trace, no engine).
// Browser-safe: no Node imports; the WebSocket class is passed in.
import type { ClientRequestInput, ServerMessage } from './messages.js';
import { parseTrace, type TraceCompare, type TraceLine } from './trace.js';

type Listener = (m: ServerMessage) => void;
type Request = ClientRequestInput extends infer R ? (R extends { id: unknown } ? Omit<R, 'id'> : never) : never;

export interface LabClient {
  readonly mode: 'live' | 'replay';
  /** every message the server sends (hello, snapshot, events, dropped, instance.exit…) */
  on(listener: Listener): () => void;
  /** send a request; resolves with its result, rejects with the server's error message */
  request<T = unknown>(req: Request): Promise<T>;
  close(): void;
}

/** The part of the WebSocket API we use (browser WebSocket and the `ws` package both have it). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

abstract class Base {
  protected listeners = new Set<Listener>();
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  protected emit(m: ServerMessage): void {
    for (const l of this.listeners) l(m);
  }
}

class LiveClient extends Base implements LabClient {
  readonly mode = 'live' as const;
  private seq = 0;
  private readonly waiting = new Map<number, { ok: (v: unknown) => void; no: (e: Error) => void }>();

  constructor(private readonly ws: WebSocketLike) {
    super();
    ws.onmessage = (ev) => {
      const m = JSON.parse(String(ev.data)) as ServerMessage;
      if ((m.type === 'result' || m.type === 'error') && typeof m.id === 'number' && this.waiting.has(m.id)) {
        const w = this.waiting.get(m.id)!;
        this.waiting.delete(m.id);
        if (m.type === 'result') w.ok(m.data);
        else w.no(new Error(m.message));
        return;
      }
      this.emit(m);
    };
    ws.onclose = () => {
      for (const w of this.waiting.values()) w.no(new Error('the lab closed the connection'));
      this.waiting.clear();
    };
  }

  request<T>(req: Request): Promise<T> {
    const id = ++this.seq;
    // 1 = OPEN: a request on a closed socket would otherwise wait for ever
    if (this.ws.readyState !== 1) return Promise.reject(new Error('the connection to the lab is closed'));
    return new Promise<T>((ok, no) => {
      this.waiting.set(id, { ok: ok as (v: unknown) => void, no });
      this.ws.send(JSON.stringify({ ...req, id }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Connect to a running lab. `url` is ws://host:port/control?token=…; listeners added before hello see it. */
export function connectLive(ws: WebSocketLike, onReady?: (c: LabClient) => void): Promise<LabClient> {
  const client = new LiveClient(ws);
  onReady?.(client);
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(client);
    ws.onerror = () => reject(new Error('could not reach the lab: is `mpm-lab start` running, and is the token in the URL the one it printed?'));
  });
}

class ReplayClient extends Base implements LabClient {
  readonly mode = 'replay' as const;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly snapshot: ServerMessage | undefined;

  constructor(
    /** the whole trace, as recorded */
    readonly lines: TraceLine[],
    private readonly speed: number,
  ) {
    super();
    this.snapshot = lines.find((l): l is Extract<ServerMessage, { type: 'snapshot' }> => l.type === 'snapshot');
  }

  /** Play the trace: messages in order, paced by their event timestamps ÷ speed (0 = at once). */
  start(): void {
    let i = 0;
    let lastTs: number | null = null;
    const next = () => {
      if (this.closed) return;
      while (i < this.lines.length) {
        const l = this.lines[i];
        const ts = lineTs(l);
        if (this.speed > 0 && ts !== null && lastTs !== null && ts > lastTs) {
          const wait = (ts - lastTs) / this.speed;
          lastTs = ts;
          this.timer = setTimeout(() => {
            this.deliver(l);
            i++;
            next();
          }, wait);
          return;
        }
        if (ts !== null) lastTs = ts;
        this.deliver(l);
        i++;
      }
    };
    this.timer = setTimeout(next, 0);
  }

  private driveListeners = new Set<(d: Extract<TraceLine, { type: 'drive' }>) => void>();

  /** the driver results the trace recorded, as the replay reaches them */
  onDrive(f: (d: Extract<TraceLine, { type: 'drive' }>) => void): () => void {
    this.driveListeners.add(f);
    return () => this.driveListeners.delete(f);
  }

  private compareListeners = new Set<(c: TraceCompare) => void>();

  /** a comparison's results, as the replay reaches them */
  onCompare(f: (c: TraceCompare) => void): () => void {
    this.compareListeners.add(f);
    return () => this.compareListeners.delete(f);
  }

  private endListeners = new Set<() => void>();

  /** the replay reached the end of the trace */
  onEnd(f: () => void): () => void {
    this.endListeners.add(f);
    return () => this.endListeners.delete(f);
  }

  private deliver(l: TraceLine): void {
    if (l.type === 'end') {
      for (const f of this.endListeners) f();
      return;
    }
    if (l.type === 'drive') {
      for (const f of this.driveListeners) f(l);
      return;
    }
    if (l.type === 'compare') {
      for (const f of this.compareListeners) f(l);
      return;
    }
    this.emit(l as ServerMessage);
  }

  request<T>(req: Request): Promise<T> {
    if (req.type === 'snapshot' && this.snapshot) return Promise.resolve(this.snapshot as T);
    return Promise.reject(new Error(`replay: "${req.type}" needs a running engine — start one with \`mpm-lab start\` and open the URL it prints`));
  }

  /** the driver results recorded in the trace, in order */
  drives(): Array<Extract<TraceLine, { type: 'drive' }>> {
    return this.lines.filter((l): l is Extract<TraceLine, { type: 'drive' }> => l.type === 'drive');
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

function lineTs(l: TraceLine): number | null {
  if (l.type === 'events') return l.events.length ? l.events[0].ts : null;
  if (l.type === 'drive' || l.type === 'end' || l.type === 'snapshot' || l.type === 'compare') return l.ts;
  return null;
}

/** Replay a recorded trace through the same API; speed 1 = real time, 0 = everything at once. */
export function replayTrace(
  text: string,
  opts: { speed?: number } = {},
): LabClient & { drives: ReplayClient['drives']; onDrive: ReplayClient['onDrive']; onCompare: ReplayClient['onCompare']; onEnd: ReplayClient['onEnd']; lines: TraceLine[]; start(): void } {
  const { lines } = parseTrace(text);
  return new ReplayClient(lines, opts.speed ?? 1);
}
