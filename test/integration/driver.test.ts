// The lab's request driver against real prefork engines: what each mode shows a
// learner (rotation, pinning, the HTTP/1.0 close, pipelining, raw bytes,
// bursts, held connections), and that a drive leaves no socket open.
import { afterEach, describe, expect, it } from 'vitest';
import { drive, type DriveOptions } from '../../engine/lab/driver.js';
import { DriverStep, DriverStepResult, type DriverStepInput } from '../../engine/protocol/messages.js';
import { startEngine, stopAll, type Engine } from '../helpers/engine.js';
import { openSocketsTo } from '../helpers/sockets.js';

afterEach(stopAll);


async function run(e: Engine, steps: DriverStepInput[], opts?: DriveOptions) {
  const res = await drive(
    e.port,
    steps.map((s) => DriverStep.parse(s)),
    opts,
  );
  expect(openSocketsTo(e.port)).toBe(0);
  DriverStepResult.array().parse(res); // the shape the lab server sends
  return res;
}

/** Resolves once `n` events of this type have come (from index `from` of e.events). */
const count = (e: Engine, type: 'conn.open' | 'conn.close', n: number, from = 0, timeoutMs = 10_000) =>
  e.waitFor(type, () => e.events.slice(from).filter((x) => x.type === type).length >= n, timeoutMs, from);

describe('driver modes against a prefork engine', () => {
  it('sequential HTTP/1.0: each request on a new connection, turning over the 3 idle children', async () => {
    const e = await startEngine(['--set', 'StartServers=3', '--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=5']);
    await e.waitIdle(3);
    const [r] = await run(e, [{ mode: 'sequential', n: 9, version: '1.0' }]);
    expect(r.mode).toBe('sequential');
    expect(r.requests.map((q) => [q.index, q.connection, q.status, q.error])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => [i, i, 200, null]));
    const pids = r.requests.map((q) => q.pid!);
    // strict rotation: the longest-idle child every time
    expect(new Set(pids).size).toBe(3);
    for (let i = 3; i < 9; i++) expect(pids[i]).toBe(pids[i - 3]);
    expect(new Set(r.requests.map((q) => q.connId)).size).toBe(9);
    expect(r.requests.every((q) => q.keepalive === 0 && q.connectionHeader === 'close' && q.generation === 0)).toBe(true);
    expect(r.requests.every((q) => q.tid === q.pid && /^\d+\.0$/.test(q.slot!) && q.bytes > 0)).toBe(true);
  });

  it('keepalive HTTP/1.1: one connection pinned to one child, X-Keepalive 0..3', async () => {
    const e = await startEngine(['--set', 'StartServers=3']);
    const [r] = await run(e, [{ mode: 'keepalive', n: 4, thinkMs: 20 }]);
    expect(r.requests.map((q) => [q.index, q.connection, q.status, q.keepalive, q.error])).toEqual([0, 1, 2, 3].map((k) => [k + 1, 1, 200, k, null]));
    expect(new Set(r.requests.map((q) => q.pid)).size).toBe(1);
    expect(new Set(r.requests.map((q) => q.connId)).size).toBe(1);
    expect(r.requests[0].connectionHeader).toBeNull(); // HTTP/1.1: persistent without saying so
    // the engine saw the four requests on one connection
    await count(e, 'conn.close', 1);
    expect(e.of('request.end').map((x) => x.connId)).toEqual(Array(4).fill(r.requests[0].connId));
  });

  it('keepalive HTTP/1.0 without Connection: keep-alive: the server closes after request 1', async () => {
    const e = await startEngine();
    const [plain, asked] = await run(e, [
      { mode: 'keepalive', n: 3, version: '1.0' },
      { mode: 'keepalive', n: 3, version: '1.0', headers: [['Connection', 'keep-alive']] },
    ]);
    expect(plain.requests.map((q) => [q.status, q.connectionHeader, q.error])).toEqual([
      [200, 'close', null],
      [null, null, 'the server closed the connection after request 1'],
      [null, null, 'the server closed the connection after request 1'],
    ]);
    // the same step with the header the learner adds: kept alive
    expect(asked.requests.map((q) => [q.status, q.keepalive, q.connectionHeader, q.error])).toEqual([
      [200, 0, 'Keep-Alive', null],
      [200, 1, 'Keep-Alive', null],
      [200, 2, 'Keep-Alive', null],
    ]);
    // the engine got exactly 1 + 3 requests
    await count(e, 'conn.close', 2);
    expect(e.of('request.end')).toHaveLength(4);
  });

  it('pipelined: three requests in one write, answered in order by one child', async () => {
    const e = await startEngine(['--set', 'StartServers=2']);
    const [r] = await run(e, [{ mode: 'pipelined', n: 3, path: '/static/hello.txt' }]);
    expect(r.requests.map((q) => [q.index, q.status, q.keepalive, q.error])).toEqual([
      [1, 200, 0, null],
      [2, 200, 1, null],
      [3, 200, 2, null],
    ]);
    expect(new Set(r.requests.map((q) => q.pid)).size).toBe(1);
    expect(new Set(r.requests.map((q) => q.connId)).size).toBe(1);
    expect(r.requests[0].bytes).toBeGreaterThan(0);
  });

  it('raw: the reply verbatim, and the server closing an HTTP/1.0 connection', async () => {
    const e = await startEngine();
    const [r] = await run(e, [{ mode: 'raw', data: 'GET / HTTP/1.0\r\n\r\n' }]);
    expect(r.raw!.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(r.raw).toMatch(/\r\nX-Child-Pid: \d+\r\n/);
    expect(r.closedByServer).toBe(true);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]).toMatchObject({ status: 200, connectionHeader: 'close', error: null });
    expect(r.raw).toContain(`X-Child-Pid: ${r.requests[0].pid}\r\n`);
  });

  it('raw: a malformed request gets httpd\'s 400, and the connection closes', async () => {
    const e = await startEngine();
    const [noHost, badLine] = await run(e, [
      { mode: 'raw', data: 'GET / HTTP/1.1\r\n\r\n' },
      { mode: 'raw', data: 'GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n' },
    ]);
    for (const r of [noHost, badLine]) {
      expect(r.raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(r.closedByServer).toBe(true);
      expect(r.requests[0]).toMatchObject({ status: 400, connectionHeader: 'close', error: null });
    }
  });

  it('raw: two requests pipelined by hand, HEAD then GET', async () => {
    const e = await startEngine();
    const [r] = await run(e, [{ mode: 'raw', data: 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' }]);
    expect(r.closedByServer).toBe(true);
    // one connection; %k does not count a request that says Connection: close (httpd's rule), so both show 0
    expect(r.requests.map((q) => [q.status, q.keepalive, q.connectionHeader, q.bytes > 0, q.error])).toEqual([
      [200, 0, null, false, null],
      [200, 0, 'close', true, null],
    ]);
    expect(r.requests[0].connId).toBe(r.requests[1].connId);
  });

  it('bodies: chunked (1.1) and close-delimited (1.0) streams, HEAD, a big body, HTTP/0.9', async () => {
    const e = await startEngine();
    const [chunked, closeDelimited, head, big, v09] = await run(e, [
      { mode: 'keepalive', n: 2, path: '/stream?chunks=3&ms=10' },
      { mode: 'single', version: '1.0', path: '/stream?chunks=3&ms=10' },
      { mode: 'single', method: 'HEAD', path: '/big?kb=64' },
      { mode: 'single', path: '/big?kb=64' },
      { mode: 'single', version: '0.9', path: '/' },
    ]);
    expect(chunked.requests.map((q) => [q.status, q.keepalive, q.error])).toEqual([
      [200, 0, null],
      [200, 1, null],
    ]);
    expect(chunked.requests[0].bytes).toBeGreaterThan(0);
    expect(closeDelimited.requests[0]).toMatchObject({ status: 200, connectionHeader: 'close', error: null });
    expect(closeDelimited.requests[0].bytes).toBe(chunked.requests[0].bytes);
    expect(head.requests[0]).toMatchObject({ status: 200, bytes: 0, error: null });
    expect(big.requests[0]).toMatchObject({ status: 200, bytes: 64 * 1024, error: null });
    // HTTP/0.9: no head, so no status and no identity headers; the body until the close
    expect(v09.requests[0]).toMatchObject({ status: null, pid: null, error: null });
    expect(v09.requests[0].bytes).toBe('<html><body><h1>It works!</h1></body></html>\n'.length);
  });

  it('burst 10 × 3 on MaxRequestWorkers=4: 30 answers from at most 4 children', async () => {
    const e = await startEngine(['--set', 'StartServers=2', '--set', 'MaxRequestWorkers=4']);
    const [r] = await run(e, [{ mode: 'burst', connections: 10, requests: 3 }]);
    expect(r.requests).toHaveLength(30);
    expect(r.requests.map((q) => q.index)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(r.requests.every((q) => q.status === 200 && q.error === null)).toBe(true);
    expect(new Set(r.requests.map((q) => q.connection)).size).toBe(30);
    expect(new Set(r.requests.map((q) => q.connId)).size).toBe(30);
    const pids = new Set(r.requests.map((q) => q.pid));
    expect(pids.size).toBeGreaterThanOrEqual(1);
    expect(pids.size).toBeLessThanOrEqual(4);
  });

  it('burst on keep-alive: each of the connections pinned to one child', async () => {
    const e = await startEngine(['--set', 'StartServers=3']);
    const [r] = await run(e, [{ mode: 'burst', connections: 3, requests: 4, keepalive: true }]);
    expect(r.requests).toHaveLength(12);
    for (const c of [1, 2, 3]) {
      const mine = r.requests.filter((q) => q.connection === c);
      expect(mine.map((q) => q.keepalive)).toEqual([0, 1, 2, 3]);
      expect(new Set(mine.map((q) => q.pid)).size).toBe(1);
    }
  });

  it('hold: idle connections occupy both children, so a request waits until one is let go', async () => {
    const e = await startEngine(['--set', 'StartServers=2', '--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=2', '--set', 'MaxRequestWorkers=2']);
    await e.waitIdle(2);
    const from = e.events.length;
    // two drives at once (as two pages could): the socket check comes after both
    const holding = drive(e.port, [DriverStep.parse({ mode: 'hold', connections: 2, ms: 300 })]);
    await count(e, 'conn.open', 2, from);
    const heldIds = e.events.slice(from).flatMap((x) => (x.type === 'conn.open' ? [x.connId] : []));
    const [single] = await drive(e.port, [DriverStep.parse({ mode: 'single', path: '/whoami' })]);
    const [held] = await holding;
    expect(openSocketsTo(e.port)).toBe(0);
    expect(held.requests.map((q) => [q.connection, q.status, q.error])).toEqual([
      [1, null, null],
      [2, null, null],
    ]);
    expect(held.requests.every((q) => q.ms >= 290)).toBe(true);
    expect(single.requests[0]).toMatchObject({ status: 200, error: null });
    // the request was read only after a held connection had closed: it waited in the backlog
    // (events come over the engine's stdout: wait for them rather than read them at once)
    const start = await e.waitFor('request.start', (x) => x.connId === single.requests[0].connId);
    await e.waitFor('conn.close', (x) => heldIds.includes(x.connId), 10_000, from);
    const closes = e.of('conn.close').filter((x) => heldIds.includes(x.connId));
    expect(start.ts).toBeGreaterThanOrEqual(Math.min(...closes.map((x) => x.ts)));
    expect(heldIds).not.toContain(single.requests[0].connId);
    expect(e.of('child.spawn')).toHaveLength(2);
  });

  it('an abort closes every socket promptly: the engine sees the held connections close', async () => {
    const e = await startEngine(['--set', 'StartServers=3']);
    const from = e.events.length;
    const ac = new AbortController();
    const holding = drive(e.port, [DriverStep.parse({ mode: 'hold', connections: 3, ms: 60_000 })], { signal: ac.signal });
    await count(e, 'conn.open', 3, from);
    const t0 = Date.now();
    ac.abort();
    await expect(holding).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(openSocketsTo(e.port)).toBe(0);
    await count(e, 'conn.close', 3, from, 5000);
  });

  it('a response timeout and the drive bound are reported in words, with everything closed', async () => {
    const e = await startEngine(['--set', 'StartServers=2']);
    const [slow] = await run(e, [{ mode: 'single', path: '/sleep?ms=2000' }], { responseTimeoutMs: 300 });
    expect(slow.requests[0]).toMatchObject({ status: null, error: 'no response in 0.3 s' });
    const [late, never] = await run(e, [{ mode: 'keepalive', n: 2, path: '/sleep?ms=2000' }, { mode: 'single' }], { timeLimitMs: 400 });
    expect(late.requests.map((q) => q.error)).toEqual(['stopped: the drive exceeded 0.4 s', 'stopped: the drive exceeded 0.4 s']);
    expect(never.requests.map((q) => q.error)).toEqual(['stopped: the drive exceeded 0.4 s']);
  });
});
