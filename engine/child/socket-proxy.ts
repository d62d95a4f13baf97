// A worker thread's view of a connection whose socket lives in the listener
// (the child's main thread). Node sockets cannot move between threads, so the
// listener does the socket I/O and the thread owns the *connection*: it gets
// the bytes, parses, runs the handler and produces the response, exactly as a
// prefork child does — through this object, which speaks the small part of
// net.Socket that child/connection.ts uses. Each write is acknowledged once
// the listener has handed it to the kernel, so status L still means "sent".
import { EventEmitter } from 'node:events';
import type { MessagePort } from 'node:worker_threads';

/** listener → thread, about one connection */
export type RelayToThread =
  | { t: 'data'; id: string; buf: Uint8Array }
  | { t: 'end'; id: string }
  | { t: 'close'; id: string; hadError: boolean }
  | { t: 'written'; id: string; seq: number; err?: string };

/** thread → listener, about one connection */
export type RelayToListener =
  | { t: 'write'; id: string; seq: number; buf: Uint8Array }
  /** `length` bytes of `piece` repeated: a file-like body the listener streams itself */
  | { t: 'write-repeated'; id: string; seq: number; length: number; piece: Uint8Array }
  | { t: 'end'; id: string }
  | { t: 'destroy'; id: string }
  | { t: 'pause'; id: string }
  | { t: 'resume'; id: string };

/** What a SocketProxy offers beyond net.Socket (child/connection.ts looks for it). */
export interface RepeatedWriter {
  writeRepeated(length: number, piece: Uint8Array, cb: (err?: Error | null) => void): void;
}

export class SocketProxy extends EventEmitter implements RepeatedWriter {
  destroyed = false;
  private seq = 0;
  private readonly pendingWrites = new Map<number, (err?: Error | null) => void>();

  constructor(
    readonly id: string,
    readonly remoteAddress: string,
    readonly remotePort: number,
    private readonly port: MessagePort,
  ) {
    super();
  }

  /** called by the thread's dispatcher for each message about this connection */
  deliver(m: RelayToThread): void {
    switch (m.t) {
      case 'data':
        this.emit('data', Buffer.from(m.buf.buffer, m.buf.byteOffset, m.buf.byteLength));
        break;
      case 'end':
        this.emit('end');
        break;
      case 'close':
        this.markClosed(m.hadError);
        break;
      case 'written': {
        const cb = this.pendingWrites.get(m.seq);
        this.pendingWrites.delete(m.seq);
        cb?.(m.err ? new Error(m.err) : null);
        break;
      }
    }
  }

  private markClosed(hadError: boolean): void {
    if (this.destroyed && this.listenerCount('close') === 0) return;
    this.destroyed = true;
    for (const cb of this.pendingWrites.values()) cb(new Error('socket closed'));
    this.pendingWrites.clear();
    this.emit('close', hadError);
  }

  private post(m: RelayToListener, transfer?: ArrayBuffer[]): void {
    this.port.postMessage(m, transfer ?? []);
  }

  setNoDelay(): this {
    return this;
  }

  pause(): this {
    this.post({ t: 'pause', id: this.id });
    return this;
  }

  resume(): this {
    this.post({ t: 'resume', id: this.id });
    return this;
  }

  write(buf: Uint8Array | string, cb?: (err?: Error | null) => void): boolean {
    if (this.destroyed) {
      if (cb) queueMicrotask(() => cb(new Error('socket closed')));
      return false;
    }
    const bytes = typeof buf === 'string' ? Buffer.from(buf, 'latin1') : buf;
    // a private copy we can transfer (the caller may reuse its buffer)
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const seq = ++this.seq;
    if (cb) this.pendingWrites.set(seq, cb);
    this.post({ t: 'write', id: this.id, seq, buf: copy }, [copy.buffer]);
    return true;
  }

  writeRepeated(length: number, piece: Uint8Array, cb: (err?: Error | null) => void): void {
    if (this.destroyed) {
      queueMicrotask(() => cb(new Error('socket closed')));
      return;
    }
    const copy = new Uint8Array(piece.byteLength);
    copy.set(piece);
    const seq = ++this.seq;
    this.pendingWrites.set(seq, cb);
    this.post({ t: 'write-repeated', id: this.id, seq, length, piece: copy }, [copy.buffer]);
  }

  end(): this {
    this.post({ t: 'end', id: this.id });
    return this;
  }

  destroy(): this {
    if (!this.destroyed) {
      this.post({ t: 'destroy', id: this.id });
      this.markClosed(false);
    }
    return this;
  }
}
