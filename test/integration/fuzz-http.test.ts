// A corpus of bad HTTP against live children (prefork, worker, event): each
// gets an httpd-style error or a close, the same children survive it all, and
// afterwards no worker is left busy in the scoreboard and no connection is left
// open in the kernel's socket table (nothing leaked).
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, stopAll } from '../helpers/engine.js';
import { serverConnectionsOn } from '../helpers/sockets.js';

/** Send bytes (optionally in pieces), read until the server closes; the status line's code, or null. */
function exchange(port: number, pieces: Buffer[], gapMs = 0, timeoutMs = 8000): Promise<{ status: number | null; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const done = (closed: boolean) => {
      clearTimeout(t);
      s.destroy();
      const m = /^HTTP\/1\.[01] (\d{3}) /.exec(buf.toString('latin1'));
      resolve({ status: m ? Number(m[1]) : null, closed });
    };
    const t = setTimeout(() => done(false), timeoutMs);
    s.on('data', (d) => (buf = Buffer.concat([buf, d])));
    s.on('error', () => undefined);
    s.on('close', () => done(true));
    s.on('connect', async () => {
      for (const p of pieces) {
        if (s.destroyed) return;
        s.write(p);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

const b = (s: string) => Buffer.from(s, 'latin1');
const CORPUS: Array<[string, Buffer[], (r: { status: number | null; closed: boolean }) => boolean]> = [
  ['request line over LimitRequestLine', [b(`GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`)], (r) => r.status === 414],
  ['header field over LimitRequestFieldSize', [b(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(9000)}\r\n\r\n`)], (r) => r.status === 400],
  ['more fields than LimitRequestFields', [b(`GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 120 }, (_, i) => `X-${i}: y\r\n`).join('')}\r\n`)], (r) => r.status === 400],
  ['a NUL byte in the request line', [b('GET /\0x HTTP/1.1\r\nHost: x\r\n\r\n')], (r) => r.status === 400],
  ['a NUL byte in a header', [b('GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n')], (r) => r.status === 400],
  ['an unknown method', [b('BREW / HTTP/1.1\r\nHost: x\r\n\r\n')], (r) => r.status === 501],
  ['a method with a bad character', [b('G(T / HTTP/1.1\r\nHost: x\r\n\r\n')], (r) => r.status !== null && r.status >= 400],
  ['an invalid chunk size', [b('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n')], (r) => r.status === 400],
  ['a non-numeric Content-Length', [b('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')], (r) => r.status === 400],
  ['HTTP/1.1 without Host', [b('GET / HTTP/1.1\r\n\r\n')], (r) => r.status === 400],
  ['binary garbage', [Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256))], (r) => r.closed && (r.status === null || r.status >= 400)],
  // slowloris: a header a byte at a time, slower than Timeout (1 s here) allows
  ['slowloris', 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: '.split('').map(b).concat([b('z'.repeat(3))]), (r) => r.closed],
];

describe.each(['prefork', 'worker', 'event'])('bad HTTP against %s', (mpm) => {
  afterAll(stopAll);

  it('each gets an error or a close; the children survive; no worker is left busy', async () => {
    const threaded = mpm !== 'prefork';
    const e = await startEngine(['--mpm', mpm, '--set', 'StartServers=2', '--set', 'Timeout=1', ...(threaded ? ['--set', 'ThreadsPerChild=5', '--set', 'MinSpareThreads=5', '--set', 'MaxSpareThreads=20'] : ['--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=4'])]);
    const before = e.children().sort();
    for (const [name, pieces, ok] of CORPUS) {
      const r = await exchange(e.port, pieces, name === 'slowloris' ? 150 : 0);
      expect(ok(r), `${name}: ${JSON.stringify(r)}`).toBe(true);
    }
    // a well-formed request still works, served by a child that was there before
    const good = await exchange(e.port, [b('GET / HTTP/1.0\r\n\r\n')]);
    expect(good.status).toBe(200);
    expect(e.children().sort()).toEqual(before);
    expect(e.of('child.exit')).toEqual([]);
    // the kernel's socket table: the server holds no connection of the corpus any more
    let held = serverConnectionsOn(e.port);
    for (let i = 0; i < 30 && held.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      held = serverConnectionsOn(e.port);
    }
    expect(held).toEqual([]);
    const status = await (await fetch(`http://127.0.0.1:${e.port}/server-status?auto`)).text();
    expect(/^BusyWorkers: (\d+)$/m.exec(status)?.[1]).toBe('1'); // the status request itself
  }, 90_000);
});
