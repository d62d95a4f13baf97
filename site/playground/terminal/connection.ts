// One raw TCP connection to an engine, through the lab's raw.* messages. No DOM,
// no xterm: it talks to a LabClient and reports in words (status) and bytes
// (data), so it is unit-tested with a fake client.
//
// Lifecycle (the terminal's choice): nothing is open until the learner sends
// something. The first Enter opens a connection to the engine `instance()` names
// and sends the line; the connection stays open until either side closes it —
// the engine (e.g. after an HTTP/1.0 response), or the learner (Ctrl-D). Each is
// said in a status line. The next Enter after a close opens a new connection.
// Nothing reconnects on its own, so a close is always visible as it happened.
import type { LabClient } from '../../../engine/protocol/client.js';
import type { ServerMessage } from '../../../engine/protocol/messages.js';
import { chunks } from './bytes.js';

/** raw.send takes at most this many bytes (DRIVER_LIMITS.maxRawBytes). */
export const MAX_SEND = 64 * 1024;

export type ConnState = 'idle' | 'opening' | 'open';

export interface ConnEvents {
  /** a status line, without brackets */
  status(text: string): void;
  /** bytes from the engine, verbatim (latin1) */
  data(bytes: string): void;
  /** the connection ended (any side); a ByteDisplay should flush now */
  ended(): void;
}

type Client = Pick<LabClient, 'request' | 'on' | 'mode'>;
type RawData = Extract<ServerMessage, { type: 'raw.data' }>;
type RawClosed = Extract<ServerMessage, { type: 'raw.closed' }>;
type InstanceSnapshot = { id: string; port: number };

export const NO_ENGINE = 'no engine is running: start one with the playground’s Start button, then send the request again';
export const REPLAY = 'this page is replaying a recorded run: the terminal needs a live lab — run `npm start` and open the URL it prints';

export class RawConnection {
  state: ConnState = 'idle';
  /** the engine this connection goes to (while opening or open) */
  engine: string | null = null;
  private session: string | null = null;
  /** bytes typed while the connection was opening */
  private queued: string[] = [];
  private closeWhenOpen = false;
  /** pushes that arrived before raw.open's reply named the session */
  private early: Array<RawData | RawClosed> = [];
  /** sends are chained so they reach the lab in order */
  private sending: Promise<unknown> = Promise.resolve();
  private readonly off: () => void;
  private disposed = false;
  /** counts connections, so a late reply of an old one is not taken for the new one */
  private generation = 0;

  constructor(
    private readonly client: Client,
    private readonly instance: () => string | null,
    private readonly ev: ConnEvents,
  ) {
    this.off = client.on((m) => this.onMessage(m));
  }

  /** Send bytes; opens the connection first if none is open. */
  send(bytes: string): void {
    if (this.disposed || !bytes) return;
    if (this.state === 'open') return this.write(bytes);
    if (this.state === 'opening') {
      this.queued.push(bytes);
      return;
    }
    if (this.client.mode === 'replay') return this.ev.status(REPLAY);
    const engine = this.instance();
    if (!engine) return this.ev.status(NO_ENGINE);
    this.queued = [bytes];
    void this.open(engine);
  }

  /** Ctrl-D: close the connection (the close is reported when the lab confirms it). */
  close(): void {
    if (this.state === 'opening') {
      this.closeWhenOpen = true;
      return;
    }
    if (this.state !== 'open' || !this.session) {
      this.ev.status('no connection is open (Enter opens one)');
      return;
    }
    const session = this.session;
    // after the bytes already on their way
    this.sending = this.sending.then(() =>
      this.client.request({ type: 'raw.close', session }).catch((e: Error) => {
        // already gone (the engine closed it first): its raw.closed says so
        if (this.session === session) this.ended(`connection closed: ${e.message}`);
      }),
    );
  }

  /** Close without a word (the terminal is going away). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.off();
    const session = this.session;
    if (session) void this.client.request({ type: 'raw.close', session }).catch(() => undefined);
    this.reset();
  }

  private async open(engine: string): Promise<void> {
    const gen = ++this.generation;
    this.state = 'opening';
    this.engine = engine;
    this.closeWhenOpen = false;
    this.early = [];
    let session: string;
    try {
      session = (await this.client.request<{ session: string }>({ type: 'raw.open', instance: engine })).session;
    } catch (e) {
      if (gen !== this.generation || this.disposed) return;
      const dropped = this.queued.reduce((n, b) => n + b.length, 0);
      this.reset();
      this.ev.status(`could not connect to engine ${engine}: ${(e as Error).message}${dropped ? ` — ${dropped} bytes not sent` : ''}`);
      return;
    }
    if (this.disposed) {
      void this.client.request({ type: 'raw.close', session }).catch(() => undefined);
      return;
    }
    if (gen !== this.generation) return;
    // where it goes, in the words of `nc`: the engine's port from a snapshot
    let port: number | null = null;
    try {
      const snap = await this.client.request<{ instances?: InstanceSnapshot[] }>({ type: 'snapshot' });
      port = snap.instances?.find((i) => i.id === engine)?.port ?? null;
    } catch {
      /* the status line just leaves the port out */
    }
    if (this.disposed || gen !== this.generation) return;
    this.session = session;
    this.state = 'open';
    this.ev.status(`connected to engine ${engine}${port ? ` — 127.0.0.1:${port}` : ''}`);
    const early = this.early.filter((m) => m.session === session);
    this.early = [];
    const queued = this.queued;
    this.queued = [];
    for (const b of queued) this.write(b);
    // the engine may have answered (or closed) before we knew the session's name
    for (const m of early) this.onMessage(m);
    if (this.closeWhenOpen && this.state === 'open') this.close();
  }

  private write(bytes: string): void {
    const session = this.session!;
    for (const piece of chunks(bytes, MAX_SEND)) {
      this.sending = this.sending.then(() =>
        this.client.request({ type: 'raw.send', session, data: piece }).catch((e: Error) => {
          if (this.session === session) this.ended(`not sent: ${e.message}`);
        }),
      );
    }
  }

  private onMessage(m: ServerMessage): void {
    if (m.type !== 'raw.data' && m.type !== 'raw.closed') return;
    if (this.state === 'opening') {
      this.early.push(m);
      return;
    }
    if (m.session !== this.session) return;
    if (m.type === 'raw.data') {
      this.ev.data(m.data);
      return;
    }
    if (m.by === 'server') this.ended('connection closed by the server');
    else if (m.by === 'client') this.ended('connection closed by you (Ctrl-D)');
    else this.ended(`connection lost: ${m.message ?? 'error'}`);
  }

  private ended(text: string): void {
    this.reset();
    this.ev.ended();
    this.ev.status(text);
  }

  private reset(): void {
    this.state = 'idle';
    this.session = null;
    this.engine = null;
    this.queued = [];
    this.early = [];
    this.closeWhenOpen = false;
  }
}
