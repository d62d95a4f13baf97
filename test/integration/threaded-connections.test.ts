// worker and event on real threads (spec §3.2–3.3, §4.3–4.5): who serves a
// connection, where a kept-alive connection waits, and what that does to the
// next client — the signature experiment, on real processes and sockets.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startEngine, stopAll, type Engine } from '../helpers/engine.js';
import { Conn, get10, get11, once } from '../helpers/http.js';

afterEach(stopAll);

const ONE_CHILD_TWO_THREADS = [
  '--set', 'StartServers=1', '--set', 'ServerLimit=1', '--set', 'ThreadsPerChild=2', '--set', 'ThreadLimit=2',
  '--set', 'MaxRequestWorkers=2', '--set', 'MinSpareThreads=1', '--set', 'MaxSpareThreads=4', '--set', 'KeepAliveTimeout=10',
];

const served = (port: number, ms: number) =>
  Promise.race([once(port, get10('/')).then(() => true, () => false), sleep(ms).then(() => false)]);

async function status(e: Engine): Promise<Record<string, string>> {
  const r = await once(e.port, get10('/server-status?auto'));
  return Object.fromEntries(r.body.split('\n').filter((l) => l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
}

describe.each(['worker', 'event'] as const)('%s: threads are real', (mpm) => {
  it('X-Thread-Id is a kernel thread of X-Child-Pid, other than its main thread', async () => {
    const e = await startEngine(['--mpm', mpm, '--set', 'StartServers=1', '--set', 'ThreadsPerChild=4', '--set', 'MinSpareThreads=1', '--set', 'MaxSpareThreads=8']);
    await e.waitIdle(4);
    const r = await once(e.port, get10('/'));
    expect(r.headers['x-mpm']).toBe(mpm);
    const pid = Number(r.headers['x-child-pid']);
    const tid = Number(r.headers['x-thread-id']);
    expect(tid).not.toBe(pid);
    expect(fs.existsSync(`/proc/${pid}/task/${tid}`)).toBe(true);
    // the listener (main thread) and ThreadsPerChild workers, at least
    expect(fs.readdirSync(`/proc/${pid}/task`).length).toBeGreaterThanOrEqual(5);
    expect(r.headers['x-slot']).toMatch(/^0\.[0-3]$/);
  }, 20_000);
});

describe('worker: a connection is bound to one thread', () => {
  it('serves every request of a keep-alive connection on the same thread, which shows K in between', async () => {
    const e = await startEngine(['--mpm', 'worker', '--set', 'StartServers=1', '--set', 'ThreadsPerChild=4', '--set', 'MinSpareThreads=1', '--set', 'MaxSpareThreads=8']);
    await e.waitIdle(4);
    const c = await new Conn(e.port).open();
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const r = (await c.request(get11('/')))!;
      seen.add(`${r.headers['x-child-pid']}/${r.headers['x-thread-id']}`);
      expect(r.headers['x-keepalive']).toBe(String(i));
    }
    expect(seen.size).toBe(1);
    const [slot, thread] = (await c.request(get11('/')))!.headers['x-slot'].split('.').map(Number);
    await e.waitFor('worker.status', (s) => s.slot === slot && s.thread === thread && s.status === 'K');
    const st = await status(e);
    expect(st.Scoreboard).toContain('K');
  }, 20_000);
});

describe('event: a kept-alive connection waits without a thread', () => {
  it('serves its requests on different threads and parks it in the listener (ConnsAsyncKeepAlive)', async () => {
    const e = await startEngine(['--mpm', 'event', '--set', 'StartServers=1', '--set', 'ThreadsPerChild=4', '--set', 'MinSpareThreads=1', '--set', 'MaxSpareThreads=8']);
    await e.waitIdle(4);
    const c = await new Conn(e.port).open();
    const tids = new Set<string>();
    const pids = new Set<string>();
    const conns = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const r = (await c.request(get11('/')))!;
      tids.add(r.headers['x-thread-id']);
      pids.add(r.headers['x-child-pid']);
      conns.add(r.headers['x-connection-id']);
      expect(r.headers['x-keepalive']).toBe(String(i));
    }
    expect(pids.size).toBe(1);
    expect(conns.size).toBe(1);
    expect(tids.size).toBeGreaterThanOrEqual(2);
    const st = await status(e);
    expect(st.ConnsAsyncKeepAlive).toBe('1');
    // no thread waits in K: the only busy one serves this status request
    expect(st.Scoreboard.replace(/\.+$/, '')).not.toContain('K');
    expect(st.BusyWorkers).toBe('1');
  }, 20_000);
});

describe('the signature experiment: ThreadsPerChild=2, one child, two idle keep-alive connections', () => {
  it('worker: a new connection waits until a kept-alive one lets its thread go', async () => {
    const e = await startEngine(['--mpm', 'worker', ...ONE_CHILD_TWO_THREADS]);
    await e.waitIdle(2);
    const idle = [await new Conn(e.port).open(), await new Conn(e.port).open()];
    for (const c of idle) expect((await c.request(get11('/')))!.status).toBe(200);
    const waiting = once(e.port, get10('/'));
    expect(await Promise.race([waiting.then(() => 'served'), sleep(1500).then(() => 'waiting')])).toBe('waiting');
    idle[0].close();
    const r = await waiting;
    expect(r.status).toBe(200);
    idle[1].close();
  }, 20_000);

  it('event: a new connection is served at once', async () => {
    const e = await startEngine(['--mpm', 'event', ...ONE_CHILD_TWO_THREADS]);
    await e.waitIdle(2);
    const idle = [await new Conn(e.port).open(), await new Conn(e.port).open()];
    for (const c of idle) expect((await c.request(get11('/')))!.status).toBe(200);
    expect(await served(e.port, 1500)).toBe(true);
    // and the kept-alive connections are still usable
    for (const c of idle) expect((await c.request(get11('/')))!.status).toBe(200);
    for (const c of idle) c.close();
  }, 20_000);
});

describe('event admission (AsyncRequestWorkerFactor)', () => {
  it('admits ThreadsPerChild + idle × factor connections, then stops listening until well below it', async () => {
    const e = await startEngine(['--mpm', 'event', ...ONE_CHILD_TWO_THREADS, '--set', 'AsyncRequestWorkerFactor=2', '--set', 'LogLevel=debug']);
    await e.waitIdle(2);
    const open: Conn[] = [];
    // 2 + 2 × 2 = 6 kept-alive connections fit, as on httpd
    for (let i = 0; i < 6; i++) {
      const c = await new Conn(e.port).open();
      expect((await c.request(get11('/'), 1500))!.status).toBe(200);
      open.push(c);
    }
    const seventh = await new Conn(e.port).open();
    seventh.write(get11('/'));
    await expect(seventh.read(1500)).rejects.toThrow(/timeout/);
    await e.waitForLog(/\[mpm_event:debug\] \[pid \d+:tid \d+\] event\.c\(1961\): Too many open connections \(6\), not accepting new conns in this process$/);
    // hysteresis: with listening disabled, 2 + (2 − 1) × 2 = 4 is the bar — as on
    // httpd, closing one or two is not enough, closing three is
    open.pop()!.close();
    await expect(seventh.read(1000)).rejects.toThrow(/timeout/);
    open.pop()!.close();
    await expect(seventh.read(1000)).rejects.toThrow(/timeout/);
    open.pop()!.close();
    const r = (await seventh.read(5000))!;
    expect(r.status).toBe(200);
    await e.waitForLog(/event\.c\(496\): AH00457: Accepting new connections again: 3 active conns \(0 lingering\/0 clogged\/0 suspended\), 2 idle workers$/);
    for (const c of [...open, seventh]) c.close();
  }, 30_000);

  it('a fractional factor acts as its integer part, as in the 2.4 code', async () => {
    const e = await startEngine(['--mpm', 'event', ...ONE_CHILD_TWO_THREADS, '--set', 'AsyncRequestWorkerFactor=1.5']);
    await e.waitIdle(2);
    const open: Conn[] = [];
    // 2 + 2 × 1 = 4 (not 2 + 2 × 1.5 = 5)
    for (let i = 0; i < 4; i++) {
      const c = await new Conn(e.port).open();
      expect((await c.request(get11('/'), 1500))!.status).toBe(200);
      open.push(c);
    }
    const fifth = await new Conn(e.port).open();
    fifth.write(get11('/'));
    await expect(fifth.read(1500)).rejects.toThrow(/timeout/);
    for (const c of [...open, fifth]) c.close();
  }, 20_000);
});

describe('write completion', () => {
  /** A client that asks for 8 MiB and does not read: the kernel buffers fill. */
  async function stuckBig(e: Engine): Promise<Conn> {
    const c = await new Conn(e.port).open();
    c.write(get11('/big?kb=8192'));
    c.pause();
    await e.waitFor('request.start', (r) => r.path === '/big', 5000);
    await sleep(500);
    return c;
  }

  it('event: the worker is freed while the listener finishes sending (ConnsAsyncWriting)', async () => {
    const e = await startEngine(['--mpm', 'event', '--set', 'StartServers=1', '--set', 'ThreadsPerChild=4', '--set', 'MinSpareThreads=1', '--set', 'MaxSpareThreads=8']);
    await e.waitIdle(4);
    const c = await stuckBig(e);
    const st = await status(e);
    expect(st.ConnsAsyncWriting).toBe('1');
    expect(st.BusyWorkers).toBe('1'); // this status request
    c.resume();
    const r = (await c.read(10_000))!;
    expect(r.body.length).toBe(8192 * 1024);
    await sleep(100);
    expect((await status(e)).ConnsAsyncKeepAlive).toBe('1');
    c.close();
  }, 20_000);

  it('worker: the thread stays in W until the client has taken the response', async () => {
    const e = await startEngine(['--mpm', 'worker', '--set', 'StartServers=1', '--set', 'ThreadsPerChild=4', '--set', 'MinSpareThreads=1', '--set', 'MaxSpareThreads=8']);
    await e.waitIdle(4);
    const c = await stuckBig(e);
    const st = await status(e);
    expect(st.BusyWorkers).toBe('2');
    expect(e.of('request.end').some((r) => r.path === '/big')).toBe(false);
    c.resume();
    expect((await c.read(10_000))!.body.length).toBe(8192 * 1024);
    c.close();
  }, 20_000);
});
