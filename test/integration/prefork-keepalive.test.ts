// Keep-alive on real connections (spec §7): pinning, %k/%X, HTTP/1.0 rules,
// the N+1 off-by-one, timeouts, and a child held in K for the whole idle time.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAll } from '../helpers/engine.js';
import { Conn, get10, get11, once } from '../helpers/http.js';

afterEach(stopAll);

describe('prefork keep-alive', () => {
  it('pins an HTTP/1.1 connection to one child, numbering requests with X-Keepalive 0,1,2,3', async () => {
    const e = await startEngine(['--set', 'StartServers=3']);
    const c = await new Conn(e.port).open();
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await c.request(get11('/')))!.headers);
    c.close();
    expect(new Set(seen.map((h) => h['x-child-pid'])).size).toBe(1);
    expect(new Set(seen.map((h) => h['x-connection-id'])).size).toBe(1);
    expect(seen.map((h) => h['x-keepalive'])).toEqual(['0', '1', '2', '3']);
    // HTTP/1.1 without the keep-alive token: persistent, and no Keep-Alive/Connection header
    expect(seen[0]['connection']).toBeUndefined();
    expect(seen[0]['keep-alive']).toBeUndefined();
  });

  it('holds the child in K between requests, so other connections go to other children', async () => {
    const e = await startEngine(['--set', 'StartServers=2', '--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=3']);
    await e.waitIdle(2);
    const c = await new Conn(e.port).open();
    const first = (await c.request(get11('/')))!;
    const pinned = first.headers['x-child-pid'];
    await e.waitFor('worker.status', (s) => s.status === 'K' && String(s.pid) === pinned);
    const status = await once(e.port, get10('/server-status?auto'));
    expect(status.headers['x-child-pid']).not.toBe(pinned);
    // the status request itself is the W; the kept-alive connection is the K
    expect(status.body).toMatch(/Scoreboard: .*K/);
    expect(status.body).toMatch(/Scoreboard: .*W/);
    expect(status.body).toMatch(/BusyWorkers: 2\n/);
    c.close();
  });

  it('MaxKeepAliveRequests N allows N+1 requests; %k 0..N and %X + + - -', async () => {
    const e = await startEngine(['--set', 'MaxKeepAliveRequests=3']);
    const c = await new Conn(e.port).open();
    const res = [];
    for (let i = 0; i < 4; i++) res.push((await c.request(get11('/')))!);
    expect(await c.waitClosed()).toBe(true);
    expect(res.map((r) => r.headers['connection'])).toEqual([undefined, undefined, undefined, 'close']);
    expect(res.map((r) => r.headers['x-keepalive'])).toEqual(['0', '1', '2', '3']);
    await e.waitFor('conn.close');
    const ends = e.of('request.end');
    expect(ends.map((r) => r.keepalive)).toEqual([0, 1, 2, 3]);
    expect(ends.map((r) => r.connStatus)).toEqual(['+', '+', '-', '-']);
  });

  it('a client Connection: close is not counted: %k repeats', async () => {
    const e = await startEngine();
    const c = await new Conn(e.port).open();
    await c.request(get11('/'));
    await c.request(get11('/'));
    const last = (await c.request(get11('/', 'Connection: close\r\n')))!;
    expect(last.headers['connection']).toBe('close');
    expect(await c.waitClosed()).toBe(true);
    await e.waitFor('conn.close');
    expect(e.of('request.end').map((r) => r.keepalive)).toEqual([0, 1, 1]);
  });

  it.each([
    ['HTTP/1.0 without Connection: keep-alive closes', get10('/'), 'close', undefined, true],
    ['HTTP/1.0 with keep-alive and a known length stays open', get10('/', 'Connection: keep-alive\r\n'), 'Keep-Alive', 'timeout=5, max=100', false],
    ['HTTP/1.0 keep-alive with an unknown length closes', get10('/stream?chunks=2&ms=10', 'Connection: keep-alive\r\n'), 'close', undefined, true],
    ['HTTP/1.1 with an unknown length is chunked and stays open', get11('/stream?chunks=2&ms=10'), undefined, undefined, false],
    ['a 400 always closes', 'GET / HTTP/1.1\r\n\r\n', 'close', undefined, true],
    ['a 404 keeps the connection', get11('/nope'), undefined, undefined, false],
  ])('%s', async (_name, raw, connection, keepAlive, closes) => {
    const e = await startEngine();
    const c = await new Conn(e.port).open();
    const r = (await c.request(raw))!;
    expect(r.headers['connection']).toBe(connection);
    expect(r.headers['keep-alive']).toBe(keepAlive);
    if (closes) expect(await c.waitClosed(3000)).toBe(true);
    else {
      const again = (await c.request(get11('/')))!;
      expect(again.headers['x-child-pid']).toBe(r.headers['x-child-pid']);
      expect(again.headers['x-keepalive']).toBe('1');
    }
    c.close();
  });

  it('HTTP/1.0 keep-alive: the second request on the same connection, same child, then close', async () => {
    const e = await startEngine(['--set', 'MaxKeepAliveRequests=10', '--set', 'KeepAliveTimeout=2']);
    const c = await new Conn(e.port).open();
    const a = (await c.request(get10('/', 'Connection: keep-alive\r\n')))!;
    expect(a.headers['keep-alive']).toBe('timeout=2, max=10');
    const b = (await c.request(get10('/', 'Connection: keep-alive\r\n')))!;
    expect(b.headers['keep-alive']).toBe('timeout=2, max=9');
    const last = (await c.request(get10('/')))!;
    expect(last.headers['x-child-pid']).toBe(a.headers['x-child-pid']);
    expect(last.headers['connection']).toBe('close');
    expect(await c.waitClosed(3000)).toBe(true);
  });

  it('closes an idle keep-alive connection after KeepAliveTimeout, freeing the child', async () => {
    const e = await startEngine(['--set', 'KeepAliveTimeout=300ms']);
    const c = await new Conn(e.port).open();
    const r = (await c.request(get11('/')))!;
    expect(await c.waitClosed(5000)).toBe(true);
    const closed = await e.waitFor('conn.close');
    expect(closed.reason).toBe('keepalive-timeout');
    await e.waitFor('worker.status', (s) => s.status === '_' && String(s.pid) === r.headers['x-child-pid'], 5000, e.events.indexOf(closed));
  });

  it('a client that connects and sends nothing is closed after Timeout, with a 408 logged but not sent', async () => {
    const e = await startEngine(['--set', 'Timeout=1']);
    const c = await new Conn(e.port).open();
    expect(await c.waitClosed(5000)).toBe(true);
    expect(await c.read()).toBeNull();
    const closed = await e.waitFor('conn.close');
    expect(closed.reason).toBe('timeout');
    expect(e.of('request.end')).toMatchObject([{ status: 408, request: '-', bytes: 0 }]);
  });

  it('KeepAlive Off answers Connection: close even to HTTP/1.1', async () => {
    const e = await startEngine(['--set', 'KeepAlive=Off']);
    const c = await new Conn(e.port).open();
    const r = (await c.request(get11('/')))!;
    expect(r.headers['connection']).toBe('close');
    expect(await c.waitClosed(3000)).toBe(true);
  });

  it('serves pipelined requests in order on one child', async () => {
    const e = await startEngine();
    const c = await new Conn(e.port).open();
    c.write(get11('/static/hello.txt') + get11('/') + get11('/whoami', 'Connection: close\r\n'));
    const rs = [(await c.read())!, (await c.read())!, (await c.read())!];
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(rs[0].body).toBe('Hello from MPM Lab.\n');
    expect(new Set(rs.map((r) => r.headers['x-child-pid'])).size).toBe(1);
    expect(await c.waitClosed(3000)).toBe(true);
  });
});
