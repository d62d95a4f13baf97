// worker's and event's pool over time (spec §3.4–3.6, §4.6, §5.3, §9): processes
// added 1, 2, 4 per pass and stopped one per pass, clamps with their AH ids, a
// crashing threaded child (all its connections lost, nobody else's), graceful
// restart under load, and squatting — on real processes and threads (no orphans: prefork-accept.test.ts).
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startEngine, stopAll } from '../helpers/engine.js';
import { spawnsPerPass } from '../helpers/events.js';
import { Conn, get10, get11, once } from '../helpers/http.js';
import { load } from '../helpers/load.js';

afterEach(stopAll);

const set = (o: Record<string, string | number>) => Object.entries(o).flatMap(([k, v]) => ['--set', `${k}=${v}`]);


const MODULE = { worker: 'mpm_worker', event: 'mpm_event' } as const;

describe.each(['worker', 'event'] as const)('%s idle-thread maintenance', (mpm) => {
  it('adds processes 1, 2, 4 per pass until MinSpareThreads are idle; each thread shows S until it is ready', async () => {
    const e = await startEngine(['--mpm', mpm, ...set({ StartServers: 1, ThreadsPerChild: 2, MinSpareThreads: 14, MaxSpareThreads: 30, MaxRequestWorkers: 40, ServerLimit: 20 })]);
    // startup forks 1 (2 idle); passes fork 1 (4), 2 (8), 4 (16 ≥ 14: done)
    const full = await e.waitFor('scoreboard', (s) => s.processes.length === 8, 15_000);
    await e.waitFor('scoreboard', () => true, 5_000, e.events.indexOf(full) + 1);
    expect(spawnsPerPass(e.events).slice(0, 5)).toEqual([1, 1, 2, 4, 0]);
    await e.waitIdle(16);
    expect(e.children().length).toBe(8);
    // every thread of every child went S → _ (never straight to _)
    for (const sp of e.of('child.spawn')) {
      for (const thread of [0, 1]) {
        const seq = e.of('worker.status').filter((s) => s.pid === sp.pid && s.thread === thread).map((s) => s.status);
        expect(seq.slice(0, 2)).toEqual(['S', '_']);
      }
    }
  }, 30_000);

  it('stops one child per pass (gracefully) while idle threads exceed MaxSpareThreads', async () => {
    // 4 children × 2 = 8 idle > 4: stop one (6), one more (4), then done
    const e = await startEngine(['--mpm', mpm, ...set({ StartServers: 4, ThreadsPerChild: 2, MinSpareThreads: 1, MaxSpareThreads: 4, MaxRequestWorkers: 16 })]);
    await e.waitFor('child.exit', () => true, 10_000);
    await e.waitFor('child.exit', () => true, 10_000, e.events.indexOf(e.of('child.exit')[0]) + 1);
    // and a further pass that stops nothing
    const after = e.events.indexOf(e.of('child.exit')[1]);
    await e.waitFor('scoreboard', () => true, 5_000, after + 1);
    await e.waitFor('scoreboard', () => true, 5_000, e.events.findIndex((x, i) => i > after && x.type === 'scoreboard') + 1);
    expect(e.of('child.exit').map((x) => [x.reason, x.code, x.signal])).toEqual([
      ['idle-kill', 0, null],
      ['idle-kill', 0, null],
    ]);
    let sinceLast = 0;
    for (const ev of e.events) {
      if (ev.type === 'child.exit') sinceLast++;
      if (ev.type === 'scoreboard') sinceLast = 0;
      expect(sinceLast).toBeLessThanOrEqual(1);
    }
    expect(e.children().length).toBe(2);
  }, 30_000);

  it('logs "reached MaxRequestWorkers" once when every thread is busy, and queues the rest in the backlog', async () => {
    const ah = mpm === 'worker' ? 'AH00286' : 'AH00484';
    const e = await startEngine(['--mpm', mpm, ...set({ StartServers: 1, ServerLimit: 1, ThreadsPerChild: 2, MaxRequestWorkers: 2, MinSpareThreads: 1, MaxSpareThreads: 4 })]);
    await e.waitIdle(2);
    const slow = [once(e.port, get10('/sleep?ms=3000')), once(e.port, get10('/sleep?ms=3000'))];
    await e.waitForLog(new RegExp(ah), 10_000);
    const third = once(e.port, get10('/'));
    const all = await Promise.all([...slow, third]);
    expect(all.map((r) => r.status)).toEqual([200, 200, 200]);
    const lines = e.stderr().split('\n').filter((l) => l.includes(ah));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`\\[${MODULE[mpm]}:error\\] \\[pid \\d+:tid \\d+\\] ${ah}: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting$`));
  }, 20_000);
});

describe.each(['worker', 'event'] as const)('%s clamps (spec §5.3)', (mpm) => {
  const id = (w: string, ev: string) => (mpm === 'worker' ? w : ev);

  it('rounds MaxRequestWorkers down to a multiple of ThreadsPerChild, and runs that many processes', async () => {
    const e = await startEngine(['--mpm', mpm, ...set({ StartServers: 5, ThreadsPerChild: 3, MaxRequestWorkers: 10, MinSpareThreads: 1, MaxSpareThreads: 30 })]);
    await e.waitIdle(9);
    expect(e.stderr()).toContain(
      `${id('AH00316', 'AH00513')}: WARNING: MaxRequestWorkers of 10 is not an integer multiple of ThreadsPerChild of 3, decreasing to nearest multiple 9, for a maximum of 3 servers.`,
    );
    // StartServers is capped to the process limit, silently
    await sleep(1500);
    expect(e.children().length).toBe(3);
    const st = await once(e.port, get10('/server-status?auto'));
    expect(st.body).toMatch(/IdleWorkers: 8\n/); // 9 threads, one serving this request
  }, 20_000);

  it('lowers ThreadsPerChild to ThreadLimit, and MaxRequestWorkers to ThreadsPerChild', async () => {
    const e = await startEngine(['--mpm', mpm, ...set({ StartServers: 1, ThreadLimit: 4, ThreadsPerChild: 6, MaxRequestWorkers: 2, MinSpareThreads: 1, MaxSpareThreads: 30 })]);
    await e.waitIdle(4);
    const err = e.stderr();
    expect(err).toContain(`${id('AH00310', 'AH00507')}: WARNING: ThreadsPerChild of 6 exceeds ThreadLimit of 4 threads, decreasing to 4. To increase, please see the ThreadLimit directive.`);
    expect(err).toContain(`${id('AH00314', 'AH00511')}: WARNING: MaxRequestWorkers of 2 is less than ThreadsPerChild of 4, increasing to 4.`);
    const pid = e.children()[0];
    // listener + 4 workers (Node adds its own helper threads, so at least)
    expect(fs.readdirSync(`/proc/${pid}/task`).length).toBeGreaterThanOrEqual(5);
    expect(new Set(e.of('worker.status').filter((s) => s.pid === pid).map((s) => s.thread))).toEqual(new Set([0, 1, 2, 3]));
    // one process allowed (MaxRequestWorkers 4 / 4 threads): the scoreboard line is 4 wide, as httpd 2.4.71 shows it
    const st = await once(e.port, get10('/server-status?auto'));
    expect(/Scoreboard: (\S+)/.exec(st.body)![1]).toMatch(/^[W_]{4}$/);
  }, 20_000);

  it('caps the total of threads (--max-threads) and says so, yet starts httpd defaults', async () => {
    const e = await startEngine(['--mpm', mpm, '--max-threads', '50', ...set({ StartServers: 3, MinSpareThreads: 75, MaxSpareThreads: 250 })]);
    await e.waitForLog(/process cap of 2 \(--max-processes, --max-threads\)/, 10_000);
    expect(e.children().length).toBe(2);
    await e.waitIdle(50);
  }, 30_000);
});

describe.each(['worker', 'event'] as const)('%s: a crashing thread', (mpm) => {
  it('takes its whole process down (every connection it held), leaves other processes alone, and is reforked at once', async () => {
    const e = await startEngine(['--mpm', mpm, ...set({ StartServers: 2, ThreadsPerChild: 4, MinSpareThreads: 1, MaxSpareThreads: 8, KeepAliveTimeout: 20 })]);
    await e.waitIdle(8);
    // open keep-alive connections until both processes hold some
    const conns: Array<{ c: Conn; pid: string }> = [];
    for (let i = 0; i < 12 && new Set(conns.map((x) => x.pid)).size < 2; i++) {
      const c = await new Conn(e.port).open();
      conns.push({ c, pid: (await c.request(get11('/')))!.headers['x-child-pid'] });
    }
    const victim = conns[0].pid;
    const mine = conns.filter((x) => x.pid === victim);
    const others = conns.filter((x) => x.pid !== victim);
    expect(others.length).toBeGreaterThan(0);
    const at = e.events.length;
    const crash = await mine[0].c.request(get11('/crash'), 5000).catch(() => null);
    expect(crash).toBeNull();
    const exit = await e.waitFor('child.exit', (x) => x.pid === Number(victim));
    expect([exit.signal, exit.reason]).toEqual(['SIGSEGV', 'crash']);
    expect(await e.waitForLog(/AH00052/)).toMatch(new RegExp(`AH00052: child pid ${victim} exit signal Segmentation fault \\(11\\)$`));
    // every connection of that process is gone
    for (const { c } of mine) expect(await c.waitClosed(3000)).toBe(true);
    // the other process's connections still work, on the same process
    for (const { c, pid } of others) expect((await c.request(get11('/')))!.headers['x-child-pid']).toBe(pid);
    // replaced without waiting for idle maintenance: the parent re-forks into the same slot
    const spawn = await e.waitFor('child.spawn', () => true, 5000, at);
    expect(spawn.slot).toBe(exit.slot);
    expect(spawn.ts - exit.ts).toBeLessThan(1500);
    for (const { c } of others) c.close();
  }, 30_000);

  // worker.c says it as AH10393, event.c as AH10392
  const killed = mpm === 'worker' ? 'AH10393' : 'AH10392';

  it('stops re-forking at once after the second signal death in a row, and says so at the third', async () => {
    const e = await startEngine(['--mpm', mpm, ...set({ StartServers: 3, ThreadsPerChild: 2, MinSpareThreads: 1, MaxSpareThreads: 30 })]);
    await e.waitIdle(6);
    const kids = e.children();
    const at = e.events.length;
    for (const pid of kids) process.kill(pid, 'SIGKILL');
    const line = await e.waitForLog(new RegExp(killed), 5000);
    expect(line).toMatch(new RegExp(`\\[${MODULE[mpm]}:warn\\] \\[pid \\d+:tid \\d+\\] ${killed}: children are killed successively!$`));
    // two come back at once; the third slot is left to maintenance, which needs no more (MinSpareThreads 1)
    await sleep(2500);
    const spawned = e.events.slice(at).filter((x) => x.type === 'child.spawn');
    expect(spawned.length).toBe(2);
    expect(e.stderr().match(new RegExp(killed, 'g'))).toHaveLength(1);
  }, 20_000);
});

describe.each(['worker', 'event'] as const)('%s graceful restart', (mpm) => {
  it.each([
    ['HTTP/1.0', false],
    ['keep-alive', true],
  ] as const)('loses no request under load (%s), and all processes end up in generation 1', async (_name, keepalive) => {
    const e = await startEngine(['--mpm', mpm, ...set({ StartServers: 2, ThreadsPerChild: 4, MinSpareThreads: 2, MaxSpareThreads: 12, KeepAliveTimeout: 5 })]);
    await e.waitIdle(8);
    const l = load(e.port, 6, { keepalive });
    while (l.ok.length < 20) await sleep(20);
    e.signal('SIGUSR1');
    await e.waitFor('engine.state', (s) => s.state === 'running' && s.generation === 1, 10_000);
    while (l.ok.filter((r) => r.headers['x-generation'] === '1').length < 30) await sleep(20);
    await l.stop();
    expect(l.failed).toEqual([]);
    expect(l.ok.every((r) => r.status === 200)).toBe(true);
    // old processes finish what they hold, then leave; new ones are generation 1
    await e.waitFor('scoreboard', (s) => s.generation === 1 && s.processes.length > 0 && s.processes.every((p) => p.generation === 1), 15_000);
    expect(e.of('child.exit').filter((x) => x.generation === 0).every((x) => x.reason === 'graceful')).toBe(true);
  }, 40_000);
});

describe('worker: squatting after a graceful restart', () => {
  it('a new-generation child takes over the slot of a quiescing one that still serves (AH00263)', async () => {
    const e = await startEngine(['--mpm', 'worker', ...set({ StartServers: 1, ServerLimit: 1, ThreadsPerChild: 2, MaxRequestWorkers: 2, MinSpareThreads: 1, MaxSpareThreads: 4, LogLevel: 'debug' })]);
    await e.waitIdle(2);
    const slow = once(e.port, get10('/sleep?ms=3000'));
    const start = await e.waitFor('request.start', (r) => r.path === '/sleep');
    e.signal('SIGUSR1');
    const line = await e.waitForLog(/AH00263/, 8000);
    expect(line).toMatch(new RegExp(`worker\\.c\\(\\d+\\): AH00263: pid \\d+ taking over scoreboard slot from ${start.pid} \\(quiescing\\)$`));
    // the new child serves on the thread the old one no longer uses, while the old one finishes
    const fresh = await once(e.port, get10('/'));
    expect(fresh.headers['x-generation']).toBe('1');
    expect(fresh.headers['x-slot']).toMatch(/^0\./);
    expect(fresh.headers['x-slot']).not.toBe(`0.${start.thread}`);
    const old = await slow;
    expect([old.status, old.headers['x-generation'], old.headers['x-child-pid']]).toEqual([200, '0', String(start.pid)]);
  }, 20_000);
});

describe('worker: MaxConnectionsPerChild', () => {
  it('counts connections after they finish; the child stops gracefully and maintenance replaces it', async () => {
    const e = await startEngine(['--mpm', 'worker', ...set({ StartServers: 1, ThreadsPerChild: 2, MinSpareThreads: 1, MaxSpareThreads: 4, MaxConnectionsPerChild: 3 })]);
    await e.waitIdle(2);
    const c = await new Conn(e.port).open();
    const first = (await c.request(get11('/')))!;
    await c.request(get11('/'));
    await c.request(get11('/', 'Connection: close\r\n'));
    await c.waitClosed();
    const pid = first.headers['x-child-pid'];
    expect((await once(e.port, get10('/'))).headers['x-child-pid']).toBe(pid);
    expect((await once(e.port, get10('/'))).headers['x-child-pid']).toBe(pid);
    const exit = await e.waitFor('child.exit', (x) => x.pid === Number(pid), 5000);
    expect([exit.reason, exit.code]).toEqual(['max-connections', 0]);
    const spawn = await e.waitFor('child.spawn', (s) => s.pid !== Number(pid), 5000);
    await e.waitIdle(2);
    expect((await once(e.port, get10('/'))).headers['x-child-pid']).toBe(String(spawn.pid));
  }, 20_000);
});
