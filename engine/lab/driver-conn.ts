// The request driver's sockets (engine/lab/driver.ts): one DriveContext per
// drive owns every socket it opens (so a stop or the end of the drive closes
// them all, and waits until they are closed), and one Conn per TCP connection
// reads responses with the incremental parser and waits on events, never on
// polling.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { monoMs } from '../platform/clock.js';
import { ResponseParser, responseCloses, type ParsedResponse, type ResponseExpectation } from './driver-parse.js';

export const now = (): number => performance.now();

/** 30000 → "30 s", 500 → "0.5 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** A socket error in words a learner can act on. */
export function errnoWords(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the server';
    case 'EPIPE':
    case 'ERR_STREAM_WRITE_AFTER_END':
      return 'the server closed the connection before the request was sent';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'EADDRNOTAVAIL':
      return 'no free local port to connect from (too many recent connections: wait a minute)';
    case 'EMFILE':
    case 'ENFILE':
      return 'the lab server has too many open files';
    default:
      return err.code ? `${err.code}: ${err.message}` : err.message;
  }
}

export class DriveContext {
  /** set once: why the drive stopped (every waiter then reports it) */
  stopReason: string | null = null;
  /** the lab's slow motion: think times × this, and a pause between sequential connections */
  slowmo = 1;
  private readonly sockets = new Set<net.Socket>();
  private readonly stopHooks = new Set<() => void>();
  private readonly emptyHooks = new Set<() => void>();

  constructor(
    readonly port: number,
    readonly responseTimeoutMs: number,
  ) {}

  stop(reason: string): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    for (const s of this.sockets) s.destroy();
    for (const f of [...this.stopHooks]) f();
  }

  /** Resolves after ms, or at once when the drive stops. */
  sleep(ms: number): Promise<void> {
    if (this.stopReason !== null || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.stopHooks.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.stopHooks.add(done);
    });
  }

  track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      if (this.sockets.size === 0) for (const f of [...this.emptyHooks]) f();
    });
    if (this.stopReason !== null) socket.destroy();
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** Destroy every socket still open and wait until each has closed. */
  closeAll(): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.emptyHooks.delete(done);
        resolve();
      };
      this.emptyHooks.add(done);
      for (const s of this.sockets) s.destroy();
    });
  }
}

/** Why a wait ended without a response. */
export type Miss = 'timeout' | 'closed' | 'stopped' | 'malformed';
export type Next = { res: ParsedResponse; at: number } | { miss: Miss };

/** One TCP connection to the engine, opened on construction. */
export class Conn {
  readonly socket: net.Socket;
  readonly parser = new ResponseParser();
  connected = false;
  /** the server's FIN arrived */
  ended = false;
  closed = false;
  error: NodeJS.ErrnoException | null = null;
  connectedAt = 0;
  /** the same instant on the events' clock (CLOCK_MONOTONIC ms) */
  connectedMono = 0;
  /** when the connection went away (FIN, reset or close), 0 while open */
  goneAt = 0;
  lastByteAt = 0;
  /** responses taken with next() */
  answered = 0;
  /** the last response taken said the server will close */
  announcedClose = false;
  /** raw mode: every reply byte, up to the cap */
  readonly rawChunks: Buffer[] = [];
  rawBytes = 0;
  capped = false;
  private readonly done: Array<{ res: ParsedResponse; at: number }> = [];
  private wakers: Array<() => void> = [];

  constructor(
    private readonly ctx: DriveContext,
    private readonly keepRaw = 0,
  ) {
    this.socket = net.connect({ port: ctx.port, host: '127.0.0.1', noDelay: true });
    ctx.track(this.socket);
    this.socket.on('connect', () => {
      this.connected = true;
      this.connectedAt = now();
      this.connectedMono = monoMs();
      this.wake();
    });
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('end', () => {
      this.ended = true;
      this.gone();
      this.settle(true);
      this.wake();
    });
    this.socket.on('error', (e: NodeJS.ErrnoException) => {
      this.error ??= e;
      this.gone();
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.gone();
      this.settle(false);
      this.wake();
    });
  }

  private gone(): void {
    if (!this.goneAt) this.goneAt = now();
  }

  private onData(d: Buffer): void {
    this.lastByteAt = now();
    if (this.keepRaw) {
      const room = this.keepRaw - this.rawBytes;
      if (d.length > room) {
        d = d.subarray(0, room);
        this.capped = true;
      }
      this.rawChunks.push(d);
      this.rawBytes += d.length;
    }
    for (const res of this.parser.feed(d)) this.done.push({ res, at: this.lastByteAt });
    if (this.capped) this.socket.destroy();
    this.wake();
  }

  /** The connection is over: let the parser finish a body that runs to the close. */
  settle(clean: boolean): void {
    for (const res of this.parser.end(clean)) this.done.push({ res, at: this.lastByteAt });
  }

  private wake(): void {
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }

  /** Resolves on the next event of this connection (or after ms). */
  private waitChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(done, Math.max(0, ms));
      this.wakers.push(done);
    });
  }

  async waitConnected(deadline: number): Promise<Miss | null> {
    for (;;) {
      if (this.ctx.stopReason !== null) return 'stopped';
      if (this.connected) return null;
      if (this.error || this.closed) return 'closed';
      const rem = deadline - now();
      if (rem <= 0) return 'timeout';
      await this.waitChange(rem);
    }
  }

  /** Write bytes, saying what their responses will look like; returns the time of the write. */
  send(bytes: Buffer, expect: ResponseExpectation[]): number {
    for (const e of expect) this.parser.expect(e);
    if (bytes.length) this.socket.write(bytes);
    return now();
  }

  /** The next complete response, or why there is none by the deadline. */
  async next(deadline: number): Promise<Next> {
    for (;;) {
      const r = this.done.shift();
      if (r) {
        this.answered++;
        this.announcedClose = responseCloses(r.res);
        return r;
      }
      if (this.ctx.stopReason !== null) return { miss: 'stopped' };
      if (this.parser.failure !== null) return { miss: 'malformed' };
      if (this.ended || this.closed || this.error) return { miss: 'closed' };
      const rem = deadline - now();
      if (rem <= 0) return { miss: 'timeout' };
      await this.waitChange(rem);
    }
  }

  /** Every response completed so far (raw mode reads them all at the end). */
  takeAll(): Array<{ res: ParsedResponse; at: number }> {
    return this.done.splice(0);
  }

  /** Wait up to ms for the server to close; true if it did. */
  async waitClosed(ms: number): Promise<boolean> {
    const deadline = now() + ms;
    for (;;) {
      if (this.ended || this.closed || this.error) return true;
      if (this.ctx.stopReason !== null) return false;
      const rem = deadline - now();
      if (rem <= 0) return false;
      await this.waitChange(rem);
    }
  }

  /**
   * Raw mode: wait until the server closes, or quietMs pass with no new byte
   * (counted from `since` or the last byte), or the reply reaches the cap.
   */
  async waitQuiet(quietMs: number, since: number): Promise<'closed' | 'quiet' | 'capped' | 'stopped'> {
    for (;;) {
      if (this.capped) return 'capped';
      if (this.ctx.stopReason !== null) return 'stopped';
      if (this.ended || this.closed || this.error) return 'closed';
      const rem = Math.max(since, this.lastByteAt) + quietMs - now();
      if (rem <= 0) return 'quiet';
      await this.waitChange(rem);
    }
  }

  /** Why a wait found no response, in words. `answered` counts this connection's requests. */
  failure(miss: Miss): string {
    if (miss === 'stopped') return this.ctx.stopReason ?? 'stopped';
    if (miss === 'timeout') return `no response in ${seconds(this.ctx.responseTimeoutMs)}`;
    if (miss === 'malformed') return `the server's reply could not be read: ${this.parser.failure}`;
    const err = this.error;
    if (!this.connected) return err ? errnoWords(err) : 'the connection closed before it was established';
    if (this.parser.partial || this.parser.inProgress) {
      return err && !this.ended ? `${errnoWords(err)} in the middle of the response` : 'the server closed the connection in the middle of the response';
    }
    const k = this.answered;
    if (this.ended || !err || (k > 0 && this.announcedClose)) {
      return k > 0 ? `the server closed the connection after request ${k}` : 'the server closed the connection without a response';
    }
    return errnoWords(err);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
