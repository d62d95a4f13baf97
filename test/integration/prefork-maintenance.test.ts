// The pool over time (spec §2.5, §9.5, §9.6): spare ramp, one kill per second,
// AH00161 once, MaxConnectionsPerChild recycling, crash isolation and refill.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAll } from '../helpers/engine.js';
import { spawnsPerPass } from '../helpers/events.js';
import { Conn, get10, get11, once } from '../helpers/http.js';

afterEach(stopAll);

describe('prefork idle-server maintenance', () => {
  it('ramps spares at 1, 2, 4, 8, 16 children per pass and says AH00162 from rate 8', async () => {
    const e = await startEngine(['--set', 'StartServers=1', '--set', 'MinSpareServers=25', '--set', 'MaxSpareServers=30', '--set', 'LogLevel=info']);
    // startup forks 1; then passes fork 1, 2, 4, 8, 16 (32 ≥ 25 idle: done)
    const full = await e.waitFor('scoreboard', (s) => s.processes.length === 32, 20_000);
    // and one more pass, which must fork nothing
    await e.waitFor('scoreboard', () => true, 5_000, e.events.indexOf(full) + 1);
    // the first snapshot follows startup, then one per pass
    expect(spawnsPerPass(e.events).slice(0, 7)).toEqual([1, 1, 2, 4, 8, 16, 0]);
    const busy = e.stderr().split('\n').filter((l) => l.includes('AH00162'));
    expect(busy.length).toBe(2);
    expect(busy[0]).toMatch(/\[mpm_prefork:info\] \[pid \d+\] AH00162: server seems busy, \(you may need to increase StartServers, or Min\/MaxSpareServers\), spawning 8 children, there are 8 idle, and 8 total children$/);
    expect(busy[1]).toContain('spawning 16 children, there are 16 idle, and 16 total children');
  }, 40_000);

  it('kills one idle child per pass through the pipe of death and a dummy connection', async () => {
    const e = await startEngine(['--set', 'StartServers=5', '--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=2']);
    await e.waitFor('scoreboard', (s) => s.processes.length === 2, 15_000);
    const exits = e.of('child.exit');
    expect(exits.map((x) => x.reason)).toEqual(['idle-kill', 'idle-kill', 'idle-kill']);
    // one per pass: never two exits between the same two scoreboard snapshots
    let sinceLast = 0;
    for (const ev of e.events) {
      if (ev.type === 'child.exit') sinceLast++;
      if (ev.type === 'scoreboard') sinceLast = 0;
      expect(sinceLast).toBeLessThanOrEqual(1);
    }
    // the victim served the parent's dummy request before leaving
    const dummies = e.of('request.end').filter((r) => r.request === 'OPTIONS * HTTP/1.0');
    expect(dummies.length).toBeGreaterThanOrEqual(3);
    expect(dummies[0].userAgent).toMatch(/\(internal dummy connection\)$/);
    expect(dummies[0].status).toBe(200);
    for (const x of exits) expect(dummies.some((d) => d.pid === x.pid)).toBe(true);
  }, 30_000);

  it('logs AH00161 once when MaxRequestWorkers is reached, and queues the rest', async () => {
    const e = await startEngine(['--set', 'StartServers=1', '--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=2', '--set', 'MaxRequestWorkers=2']);
    await e.waitIdle(1);
    const slow = [once(e.port, get10('/sleep?ms=3500')), once(e.port, get10('/sleep?ms=3500'))];
    await e.waitForLog(/AH00161/, 10_000);
    const third = once(e.port, get10('/'));
    const all = await Promise.all([...slow, third]);
    expect(all.map((r) => r.status)).toEqual([200, 200, 200]);
    const lines = e.stderr().split('\n').filter((l) => l.includes('AH00161'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\[mpm_prefork:error\] \[pid \d+\] AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting$/);
  }, 20_000);

  it('caps children at --max-processes and says so', async () => {
    const e = await startEngine(['--max-processes', '2', '--set', 'StartServers=4', '--set', 'MinSpareServers=4', '--set', 'MaxSpareServers=8', '--set', 'MaxRequestWorkers=10']);
    await e.waitForLog(/process cap of 2 \(--max-processes\)/, 10_000);
    expect(e.stderr()).toMatch(/MaxRequestWorkers 10 is above the lab's process cap: at most 2 children will run/);
    expect(e.children().length).toBe(2);
    expect(e.of('child.spawn').length).toBe(2);
  }, 20_000);
});

describe('MaxConnectionsPerChild', () => {
  it('counts connections, not requests, then the child exits and maintenance replaces it', async () => {
    const e = await startEngine(['--set', 'StartServers=1', '--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=2', '--set', 'MaxConnectionsPerChild=2']);
    await e.waitIdle(1);
    // connection 1: three keep-alive requests count once
    const c = await new Conn(e.port).open();
    const first = (await c.request(get11('/')))!;
    await c.request(get11('/'));
    await c.request(get11('/', 'Connection: close\r\n'));
    await c.waitClosed();
    const pid = Number(first.headers['x-child-pid']);
    // connection 2 on the same child, which then leaves
    const second = await once(e.port, get10('/'));
    expect(Number(second.headers['x-child-pid'])).toBe(pid);
    const exit = await e.waitFor('child.exit', (x) => x.pid === pid);
    expect(exit).toMatchObject({ code: 0, signal: null, reason: 'max-connections' });
    // not replaced at once: a later maintenance pass forks a new child (it may run
    // before the parent reaps the old one, exactly as httpd's loop does)
    const spawn = await e.waitFor('child.spawn', (s) => s.pid !== pid, 5000);
    const third = await once(e.port, get10('/'));
    expect(Number(third.headers['x-child-pid'])).toBe(spawn.pid);
  }, 20_000);
});

describe('a crashing child', () => {
  it('dies by SIGSEGV alone: AH00052, other connections untouched, maintenance refills', async () => {
    const e = await startEngine(['--set', 'StartServers=2', '--set', 'MinSpareServers=2', '--set', 'MaxSpareServers=4']);
    await e.waitIdle(2);
    const other = await new Conn(e.port).open();
    const before = (await other.request(get11('/')))!;
    const crashAt = e.events.length;
    const crash = await once(e.port, get10('/crash')).catch((err: Error) => err);
    expect(crash).toBeInstanceOf(Error); // that one connection is lost
    const exit = await e.waitFor('child.exit', (x) => x.signal === 'SIGSEGV');
    expect(exit.reason).toBe('crash');
    expect(exit.pid).not.toBe(Number(before.headers['x-child-pid']));
    expect(await e.waitForLog(/AH00052/)).toMatch(new RegExp(`\\[core:notice\\] \\[pid ${e.pid}\\] AH00052: child pid ${exit.pid} exit signal Segmentation fault \\(11\\)$`));
    // the other child's keep-alive connection still works
    const after = (await other.request(get11('/')))!;
    expect(after.headers['x-child-pid']).toBe(before.headers['x-child-pid']);
    expect(after.headers['x-keepalive']).toBe('1');
    other.close();
    // no response and no access-log entry for the request that crashed; the slot showed W until the reap
    expect(e.of('request.end').some((r) => r.path === '/crash')).toBe(false);
    const last = e.of('worker.status').filter((s) => s.pid === exit.pid).at(-2);
    expect(last?.status).toBe('W');
    // maintenance refills the pool
    await e.waitFor('child.spawn', () => true, 5000, crashAt);
    await e.waitIdle(2);
  }, 20_000);
});
