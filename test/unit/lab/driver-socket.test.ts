// drive() against scripted loopback servers: the failures a real engine does
// not produce on demand (resets, half responses, silence, floods), how each is
// worded, and that no socket of the drive is left open when drive() settles.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DRIVER_LIMITS, DriverStep, DriverStepResult, type DriverStepInput } from '../../../engine/protocol/messages.js';
import { drive, type DriveOptions } from '../../../engine/lab/driver.js';
import { openSocketsTo } from '../../helpers/sockets.js';


interface Fake {
  port: number;
  /** every chunk each connection received, per connection in accept order */
  received: Buffer[][];
  /** resolves when `n` connections have been accepted */
  accepted(n: number): Promise<void>;
  /** resolves when every accepted connection has closed */
  allClosed(): Promise<void>;
}

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A loopback server; `onRequest` is called for each complete request head (requests have no bodies here). */
async function fake(onRequest: (s: net.Socket, head: string, n: number) => void, onConnect?: (s: net.Socket) => void): Promise<Fake> {
  const received: Buffer[][] = [];
  let open = 0;
  const waiters: Array<() => void> = [];
  const poke = () => waiters.splice(0).forEach((f) => f());
  const server = net.createServer((s) => {
    const mine: Buffer[] = [];
    received.push(mine);
    open++;
    let buf = '';
    let n = 0;
    s.on('error', () => {});
    s.on('close', () => {
      open--;
      poke();
    });
    s.on('data', (d) => {
      mine.push(d);
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n\r\n')) >= 0) {
        const head = buf.slice(0, i);
        buf = buf.slice(i + 4);
        onRequest(s, head, ++n);
      }
    });
    onConnect?.(s);
    poke();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (cond() ? resolve() : waiters.push(check));
      check();
    });
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    accepted: (n) => until(() => received.length >= n),
    allClosed: () => until(() => open === 0),
  };
}

const reply = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
const steps = (...s: DriverStepInput[]) => s.map((x) => DriverStep.parse(x));

async function run(port: number, s: DriverStepInput[], opts?: DriveOptions) {
  const res = await drive(port, steps(...s), opts);
  expect(openSocketsTo(port)).toBe(0);
  DriverStepResult.array().parse(res); // the shape the lab server sends
  return res;
}

describe('drive() errors, in words', () => {
  it('connection refused, for every request of a step', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const [single, keep] = await run(port, [{ mode: 'single' }, { mode: 'keepalive', n: 3 }]);
    expect(single.requests.map((r) => r.error)).toEqual(['connection refused']);
    expect(keep.requests.map((r) => [r.index, r.connection, r.status, r.error])).toEqual([
      [1, 1, null, 'connection refused'],
      [2, 1, null, 'connection refused'],
      [3, 1, null, 'connection refused'],
    ]);
  });

  it('connection reset by the server', async () => {
    const f = await fake((s) => s.resetAndDestroy());
    const [r] = await run(f.port, [{ mode: 'keepalive', n: 2 }]);
    expect(r.requests.map((q) => q.error)).toEqual(['connection reset by the server', 'not sent: connection reset by the server']);
  });

  it('the server closes without a response, or in the middle of one (the head still tells who)', async () => {
    const f = await fake((s, head) => {
      if (head.startsWith('GET /none')) s.end();
      else s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX-Child-Pid: 77\r\n\r\nonly part');
    });
    const [none, half] = await run(f.port, [{ mode: 'single', path: '/none' }, { mode: 'single', path: '/half' }]);
    expect(none.requests[0].error).toBe('the server closed the connection without a response');
    expect(half.requests[0]).toMatchObject({ status: 200, pid: 77, bytes: 9, error: 'the server closed the connection in the middle of the response' });
  });

  it('no response in time; the rest of the connection is not sent', async () => {
    const f = await fake(() => {});
    const [r] = await run(f.port, [{ mode: 'keepalive', n: 2 }], { responseTimeoutMs: 200 });
    expect(r.requests.map((q) => q.error)).toEqual(['no response in 0.2 s', 'not sent: no response in 0.2 s']);
    expect(r.requests[0].ms).toBeGreaterThanOrEqual(190);
    expect(f.received[0].map(String).join('').match(/GET/g)).toHaveLength(1);
  });

  it('the whole drive is bounded: everything unfinished, later steps too, says it was stopped', async () => {
    const f = await fake(() => {});
    const t0 = Date.now();
    const res = await run(f.port, [{ mode: 'single' }, { mode: 'sequential', n: 2 }, { mode: 'hold', connections: 2, ms: 10 }, { mode: 'raw', data: 'x' }], { timeLimitMs: 300 });
    expect(Date.now() - t0).toBeLessThan(2000);
    const stopped = 'stopped: the drive exceeded 0.3 s';
    expect(res.map((s) => [s.mode, s.requests.map((q) => q.error)])).toEqual([
      ['single', [stopped]],
      ['sequential', [stopped, stopped]],
      ['hold', [stopped, stopped]],
      ['raw', []],
    ]);
    await f.allClosed();
  });

  it('a malformed reply', async () => {
    const f = await fake((s) => s.write('SSH-2.0-OpenSSH_9.6\r\n'));
    const [r] = await run(f.port, [{ mode: 'single' }]);
    expect(r.requests[0].error).toBe("the server's reply could not be read: the reply does not start with an HTTP status line");
  });
});

describe('drive() reads what real servers send', () => {
  it('100 Continue, then a chunked body with extensions and trailers written in pieces', async () => {
    const f = await fake((s) => {
      const parts = ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Child-Pid: 5\r\nX-Keepalive: 0\r\n\r\n', '4;ext=1\r\nab', 'cd\r\n', '3\r\nefg\r\n0\r\nX-T: 1\r\n', '\r\n'];
      let i = 0;
      const next = () => {
        s.write(parts[i++]);
        if (i < parts.length) setTimeout(next, 5);
      };
      next();
    });
    const [r] = await run(f.port, [{ mode: 'single' }]);
    expect(r.requests[0]).toMatchObject({ status: 200, pid: 5, keepalive: 0, bytes: 7, error: null });
  });

  it('HEAD has no body even with a Content-Length', async () => {
    const f = await fake((s, head) => s.write(head.startsWith('HEAD') ? 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n' : reply('x')));
    const [r] = await run(f.port, [{ mode: 'keepalive', n: 2, method: 'HEAD' }]);
    expect(r.requests.map((q) => [q.status, q.bytes, q.error])).toEqual([
      [200, 0, null],
      [200, 0, null],
    ]);
  });

  it('pipelined: all requests in one write, then every response', async () => {
    const f = await fake((s, _h, n) => s.write(reply(`r${n}`, `X-Keepalive: ${n - 1}\r\n`)));
    const [r] = await run(f.port, [{ mode: 'pipelined', n: 5 }]);
    expect(f.received[0]).toHaveLength(1);
    expect(f.received[0][0].toString('latin1').match(/GET \/ HTTP\/1\.1\r\n/g)).toHaveLength(5);
    expect(r.requests.map((q) => [q.index, q.keepalive, q.bytes])).toEqual([1, 2, 3, 4, 5].map((i) => [i, i - 1, 2]));
  });

  it('HTTP/0.9: the request line alone, the reply without a head', async () => {
    const f = await fake(
      () => {},
      (s) => s.once('data', () => s.end('<html>0.9</html>\n')),
    );
    const [r] = await run(f.port, [{ mode: 'single', version: '0.9', path: '/x' }]);
    expect(f.received[0].map(String).join('')).toBe('GET /x\r\n');
    expect(r.requests[0]).toMatchObject({ status: null, pid: null, bytes: 17, error: null });
  });
});

describe('raw mode', () => {
  it('keeps at most maxReplyBytes of a reply, then closes', async () => {
    const f = await fake(
      () => {},
      (s) =>
        s.once('data', () => {
          s.write('HTTP/1.1 200 OK\r\nContent-Length: 3000000\r\n\r\n');
          s.write(Buffer.alloc(3_000_000, 0x61));
        }),
    );
    const [r] = await run(f.port, [{ mode: 'raw', data: 'GET / HTTP/1.1\r\n\r\n' }]);
    expect(r.raw!.length).toBe(DRIVER_LIMITS.maxReplyBytes);
    expect(r.closedByServer).toBe(false);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]).toMatchObject({ status: 200, error: 'the reply was cut at 1 MiB (the most the lab keeps of a raw reply)' });
  });

  it('stops after waitMs without a new byte, and says the response is incomplete', async () => {
    const f = await fake(
      () => {},
      (s) => s.once('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')),
    );
    const [r] = await run(f.port, [{ mode: 'raw', data: 'GET / HTTP/1.1\r\n\r\n', waitMs: 150 }]);
    expect(r.raw).toBe('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(r.closedByServer).toBe(false);
    expect(r.requests).toEqual([expect.objectContaining({ status: 200, bytes: 3, error: 'incomplete: no more bytes for 0.15 s' })]);
    expect(r.ms).toBeGreaterThanOrEqual(140);
  });

  it('sends the bytes exactly as typed, latin1, bare LF and all', async () => {
    const f = await fake(() => {}, (s) => s.once('data', () => s.end()));
    const data = 'GET /\xe9 HTTP/1.0\nX: \xff\r\n\n';
    const [r] = await run(f.port, [{ mode: 'raw', data }]);
    await f.allClosed();
    expect(Buffer.concat(f.received[0])).toEqual(Buffer.from(data, 'latin1'));
    expect(r).toMatchObject({ raw: '', closedByServer: true, requests: [] });
  });
});

describe('hold, abort and bursts', () => {
  it('hold: one entry per connection; the server closing one first is reported', async () => {
    let k = 0;
    const f = await fake(
      () => {},
      (s) => {
        if (++k === 2) setTimeout(() => s.end('HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'), 50);
      },
    );
    const [r] = await run(f.port, [{ mode: 'hold', connections: 3, ms: 300 }]);
    expect(r.requests.map((q) => [q.index, q.connection])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const closed = r.requests.filter((q) => q.status === 408);
    const held = r.requests.filter((q) => q.status === null);
    expect(closed).toHaveLength(1);
    expect(closed[0].error).toMatch(/^the server closed the connection after 0\.\d+ s$/);
    expect(closed[0].ms).toBeLessThan(250);
    expect(held).toHaveLength(2);
    for (const q of held) {
      expect(q.error).toBeNull();
      expect(q.ms).toBeGreaterThanOrEqual(290);
    }
    expect(f.received.flat()).toHaveLength(0); // nothing sent
    await f.allClosed();
  });

  it('an abort closes every socket at once and rejects with the reason', async () => {
    const f = await fake(() => {});
    const holdAbort = new AbortController();
    const burstAbort = new AbortController();
    const hold = drive(f.port, steps({ mode: 'hold', connections: 5, ms: 60_000 }), { signal: holdAbort.signal });
    const burst = drive(f.port, steps({ mode: 'burst', connections: 5, requests: 2 }), { signal: burstAbort.signal });
    await f.accepted(10);
    expect(openSocketsTo(f.port)).toBe(10);
    let t0 = Date.now();
    burstAbort.abort();
    await expect(burst).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - t0).toBeLessThan(500);
    // the burst's 5 connections are gone; the other drive's 5 are still held
    expect(openSocketsTo(f.port)).toBe(5);
    t0 = Date.now();
    holdAbort.abort(new Error('the page went away'));
    await expect(hold).rejects.toThrow('the page went away');
    expect(Date.now() - t0).toBeLessThan(500);
    expect(openSocketsTo(f.port)).toBe(0);
    // an already-aborted signal: nothing is opened
    await expect(drive(f.port, steps({ mode: 'single' }), { signal: burstAbort.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await f.allClosed();
    expect(f.received).toHaveLength(10);
  }, 10_000);

  it('burst 200 × 50 on keep-alive: 10,000 results in send order, quickly', async () => {
    const f = await fake((s, _h, n) => s.write(reply('ok', `X-Keepalive: ${n - 1}\r\n`)));
    const t0 = Date.now();
    const [r] = await run(f.port, [{ mode: 'burst', connections: 200, requests: 50, keepalive: true }]);
    const took = Date.now() - t0;
    expect(r.requests).toHaveLength(10_000);
    expect(r.requests.map((q) => q.index)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(r.requests.every((q) => q.status === 200 && q.error === null)).toBe(true);
    expect(new Set(r.requests.map((q) => q.connection)).size).toBe(200);
    expect(f.received).toHaveLength(200);
    // each connection numbered its own requests 0..49
    const perConn = new Map<number, number[]>();
    for (const q of r.requests) perConn.set(q.connection, [...(perConn.get(q.connection) ?? []), q.keepalive!]);
    expect([...perConn.values()].every((ks) => ks.join() === Array.from({ length: 50 }, (_, i) => i).join())).toBe(true);
    expect(took).toBeLessThan(10_000);
  }, 20_000);

  it('burst without keep-alive: a new connection per request, never more than `connections` at once', async () => {
    let inFlight = 0;
    let most = 0;
    const f = await fake((s) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        s.write(reply('ok'));
      }, 20);
    });
    const [r] = await run(f.port, [{ mode: 'burst', connections: 4, requests: 5 }]);
    expect(r.requests).toHaveLength(20);
    expect(r.requests.map((q) => q.index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(r.requests.map((q) => q.connection)).size).toBe(20);
    expect(r.requests.every((q) => q.status === 200 && q.error === null)).toBe(true);
    expect(f.received).toHaveLength(20);
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  });
});
