// Who accepts, and who serves: real children, real sockets, the FIFO turn.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive, sleep, startEngine, stopAll } from '../helpers/engine.js';
import { get10, once } from '../helpers/http.js';
import { parentOf } from '../../engine/platform/proc.js';

afterEach(stopAll);


describe('prefork accept', () => {
  it('rotates sequential HTTP/1.0 connections strictly over the idle children (longest-waiting first)', async () => {
    const e = await startEngine(['--set', 'StartServers=3', '--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=5']);
    await e.waitIdle(3);
    const pids: number[] = [];
    for (let i = 0; i < 9; i++) pids.push(Number((await once(e.port, get10('/'))).headers['x-child-pid']));
    expect(new Set(pids).size).toBe(3);
    for (let i = 3; i < 9; i++) expect(pids[i]).toBe(pids[i - 3]);
    // they are separate OS processes whose parent is the engine, and the parent never serves
    for (const pid of new Set(pids)) expect(parentOf(pid)).toBe(e.pid);
    expect(pids).not.toContain(e.pid);
  });

  it('answers every request with the identity headers of DESIGN §2', async () => {
    const e = await startEngine(['--set', 'StartServers=2']);
    const r = await once(e.port, get10('/'));
    expect(r.status).toBe(200);
    expect(r.body).toBe('<html><body><h1>It works!</h1></body></html>\n');
    const h = r.headers;
    expect(h['x-mpm']).toBe('prefork');
    const pid = Number(h['x-child-pid']);
    expect(pid).toBeGreaterThan(0);
    // prefork: the handler ran on the child's main thread, whose kernel tid is the pid
    expect(Number(h['x-thread-id'])).toBe(pid);
    expect(h['x-slot']).toMatch(/^\d+\.0$/);
    expect(h['x-generation']).toBe('0');
    expect(h['x-keepalive']).toBe('0');
    expect(h['x-connection-id']).toMatch(new RegExp(`^${pid}-\\d+$`));
    const who = JSON.parse((await once(e.port, get10('/whoami'))).body);
    expect(who).toMatchObject({ mpm: 'prefork', generation: 0, thread: 0 });
  });

  it('keeps connections that find no idle child in the kernel backlog: none refused, none reset', async () => {
    const e = await startEngine(['--set', 'StartServers=2', '--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=2', '--set', 'MaxRequestWorkers=2']);
    await e.waitIdle(2);
    const results = await Promise.all(Array.from({ length: 8 }, () => once(e.port, get10('/sleep?ms=300'))));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(results.map((r) => r.headers['x-child-pid'])).size).toBe(2);
    expect(e.of('child.spawn').length).toBe(2);
  });

  it('refuses to start when the port is taken, instead of binding elsewhere', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const e = await startEngine(['--listen', `127.0.0.1:${port}`], { ready: false });
      const { code } = await e.exited;
      expect(code).toBe(1);
      expect(e.stderr()).toContain(`(98)Address already in use: AH00072: make_sock: could not bind to address 127.0.0.1:${port}`);
      expect(e.stderr()).toContain(`:${port}\nno listening sockets available, shutting down\nAH00015: Unable to open logs\n`);
      expect(e.of('child.spawn')).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});

describe.each([
  ['prefork', ['--set', 'StartServers=3']],
  ['worker', ['--mpm', 'worker', '--set', 'StartServers=3', '--set', 'ThreadsPerChild=2', '--set', 'MinSpareThreads=1', '--set', 'MaxSpareThreads=30']],
  ['event', ['--mpm', 'event', '--set', 'StartServers=3', '--set', 'ThreadsPerChild=2', '--set', 'MinSpareThreads=1', '--set', 'MaxSpareThreads=30']],
] as const)('%s: no orphans', (_mpm, args) => {
  it('leaves no child behind when the parent is SIGKILLed with a request in flight (children watch the IPC channel)', async () => {
    const e = await startEngine([...args]);
    const busy = once(e.port, get10('/sleep?ms=20000')).catch(() => null);
    await e.waitFor('request.start');
    const kids = e.children();
    expect(kids.length).toBe(3);
    process.kill(e.pid, 'SIGKILL');
    await e.exited;
    const deadline = Date.now() + 3000;
    while (kids.some(pidAlive) && Date.now() < deadline) await sleep(50);
    expect(kids.filter(pidAlive)).toEqual([]);
    expect(await busy).toBeNull();
  }, 20_000);
});
