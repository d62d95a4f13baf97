// Before a child says it is ready, it serves a few requests to itself in memory,
// through the real connection code with a fake socket, reporting nothing.
//
// Why: V8 compiles functions lazily, so a child's first real request used to
// take ~10× longer than later ones (parse 2.6 ms vs 0.3 ms). A cold child then
// noticed the client's FIN late and rejoined the accept queue after a child
// that finished later, breaking the longest-idle-first order httpd shows.
// httpd's children have no such warm-up; after this, neither do ours.
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { serveConnection, type WorkerContext } from './connection.js';

class FakeSocket extends EventEmitter {
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  destroyed = false;
  setNoDelay(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  write(_b: unknown, cb?: (err?: Error) => void): boolean {
    if (cb) queueMicrotask(() => cb());
    return true;
  }
  end(): this {
    // the client's FIN answers ours at once
    queueMicrotask(() => this.emit('end'));
    return this;
  }
  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      queueMicrotask(() => this.emit('close'));
    }
    return this;
  }
}

const REQUESTS = [
  'GET / HTTP/1.0\r\nHost: localhost\r\nUser-Agent: warmup\r\n\r\n',
  'GET /static/hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
  'HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
  'BREW / HTTP/1.1\r\n\r\n',
];

export async function warmUp(ctx: WorkerContext, rounds = 8): Promise<void> {
  const quiet: WorkerContext = { ...ctx, report: () => undefined, protocolLog: () => undefined };
  for (let i = 0; i < rounds; i++) {
    for (const r of REQUESTS) {
      const s = new FakeSocket();
      const done = serveConnection(s as unknown as net.Socket, quiet, 'warmup');
      s.emit('data', Buffer.from(r, 'latin1'));
      await done;
    }
  }
}
