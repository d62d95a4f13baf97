// The seed platform MPMs as labelled models (winnt, netware, mpmt_os2), on real
// processes and threads: what each one's structure makes observable.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/protocol/events.js';
import { sleep, startEngine, stopAll, type Engine } from '../helpers/engine.js';
import { perPass } from '../helpers/events.js';
import { Conn, get10, get11, once } from '../helpers/http.js';

afterEach(stopAll);

const set = (o: Record<string, string | number>) => Object.entries(o).flatMap(([k, v]) => ['--set', `${k}=${v}`]);

async function status(e: Engine): Promise<Record<string, string>> {
  const r = await once(e.port, get10('/server-status?auto'));
  return Object.fromEntries(r.body.split('\n').filter((l) => l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
}

/** live threads of a child per the event stream: started (S) and not yet dead (.) */
function liveThreads(events: EngineEvent[], pid: number): Set<number> {
  const live = new Set<number>();
  for (const e of events) {
    if (e.type !== 'worker.status' || e.pid !== pid) continue;
    if (e.status === '.') live.delete(e.thread);
    else live.add(e.thread);
  }
  return live;
}

describe('winnt (model of mpm_winnt)', () => {
  it('one child, a fixed pool of ThreadsPerChild threads, no spare maintenance; says it is a model', async () => {
    const e = await startEngine(['--mpm', 'winnt', ...set({ ThreadsPerChild: 4, LogLevel: 'info' })]);
    await e.waitIdle(4);
    const r = await once(e.port, get10('/'));
    expect(r.headers['x-mpm']).toBe('winnt (model of mpm_winnt)');
    const pid = Number(r.headers['x-child-pid']);
    expect(fs.existsSync(`/proc/${pid}/task/${r.headers['x-thread-id']}`)).toBe(true);
    const err = await e.waitForLog(/AH00354/);
    expect(err).toMatch(new RegExp(`\\[mpm_winnt:notice\\] \\[pid ${pid}:tid ${pid}\\] AH00354: Child: Starting 4 worker threads\\.$`));
    expect(e.stderr()).toMatch(/\[mpm_winnt:notice\] \[pid \d+:tid \d+\] AH00455: Apache\/2\.4\.63 \(Unix\) MPM-Lab\/[\d.]+ configured -- resuming normal operations/);
    expect(e.stderr()).toContain('MPM Lab: this is a model of mpm_winnt');
    const st = await status(e);
    expect(st.ServerMPM).toBe('WinNT');
    expect(st.Scoreboard).toMatch(/^[_W]{4}$/);
    // idle threads far above any spare setting: nothing is stopped, nothing added
    await sleep(2500);
    expect(e.children()).toEqual([pid]);
    expect(e.of('child.spawn')).toHaveLength(1);
  }, 20_000);

  it('a keep-alive connection keeps its thread, as on worker', async () => {
    const e = await startEngine(['--mpm', 'winnt', ...set({ ThreadsPerChild: 3 })]);
    await e.waitIdle(3);
    const c = await new Conn(e.port).open();
    const tids = new Set<string>();
    for (let i = 0; i < 5; i++) tids.add((await c.request(get11('/')))!.headers['x-thread-id']);
    c.close();
    expect(tids.size).toBe(1);
  }, 20_000);

  it('when every thread is busy it holds one connection per listener, says AH00326 once, and serves it when a thread frees', async () => {
    const e = await startEngine(['--mpm', 'winnt', ...set({ ThreadsPerChild: 1 })]);
    await e.waitIdle(1);
    const slow = once(e.port, get10('/sleep?ms=1500'));
    await e.waitFor('request.start', (r) => r.path === '/sleep');
    const queued = once(e.port, get10('/'));
    const line = await e.waitForLog(/AH00326/, 5000);
    expect(line).toMatch(/\[mpm_winnt:error\] \[pid \d+:tid \d+\] AH00326: Server ran out of threads to serve requests\. Consider raising the ThreadsPerChild setting$/);
    const [a, b] = await Promise.all([slow, queued]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.headers['x-child-pid']).toBe(a.headers['x-child-pid']);
    await once(e.port, get10('/sleep?ms=300')).then(() => once(e.port, get10('/')));
    expect(e.stderr().match(/AH00326/g)).toHaveLength(1);
  }, 20_000);

  it('MaxConnectionsPerChild: the child asks for a restart (AH00358, AH00424); a new child of the next generation takes over', async () => {
    const e = await startEngine(['--mpm', 'winnt', ...set({ ThreadsPerChild: 2, MaxConnectionsPerChild: 2 })]);
    await e.waitIdle(2);
    const a = await once(e.port, get10('/'));
    await once(e.port, get10('/'));
    await e.waitForLog(/AH00358/, 5000);
    expect(e.stderr()).toMatch(new RegExp(`\\[pid ${a.headers['x-child-pid']}:tid \\d+\\] AH00358: Child: Process exiting because it reached MaxConnectionsPerChild\\. Signaling the parent to restart a new child process\\.`));
    await e.waitForLog(/AH00424: Parent: Received restart signal -- Restarting the server\./, 5000);
    await e.waitFor('engine.state', (s) => s.state === 'running' && s.generation === 1, 10_000);
    let next = await once(e.port, get10('/'));
    for (let i = 0; i < 20 && next.headers['x-generation'] !== '1'; i++) next = await once(e.port, get10('/'));
    expect(next.headers['x-generation']).toBe('1');
    expect(next.headers['x-child-pid']).not.toBe(a.headers['x-child-pid']);
    await e.waitFor('child.exit', (x) => x.pid === Number(a.headers['x-child-pid']), 5000);
  }, 20_000);

  it('a crash restarts the whole server (AH00428): the next generation, a new child, no AH00052', async () => {
    const e = await startEngine(['--mpm', 'winnt', ...set({ ThreadsPerChild: 2 })]);
    await e.waitIdle(2);
    const pid = e.children()[0];
    await once(e.port, get10('/crash')).catch(() => null);
    const line = await e.waitForLog(/AH00428/, 5000);
    expect(line).toContain(`AH00428: Parent: child process ${pid} exited with status 11 -- Restarting.`);
    await e.waitFor('engine.state', (s) => s.state === 'running' && s.generation === 1, 10_000);
    const r = await once(e.port, get10('/'));
    expect(r.headers['x-generation']).toBe('1');
    expect(e.stderr()).not.toMatch(/AH00052/);
  }, 20_000);
});

describe('netware (model of mpm_netware)', () => {
  it('one process whose threads grow 1, 2, 4 per pass to MinSpareThreads (StartThreads first)', async () => {
    const e = await startEngine(['--mpm', 'netware', ...set({ StartThreads: 1, MinSpareThreads: 6, MaxSpareThreads: 12, LogLevel: 'info' })]);
    const pid = (await e.waitFor('child.spawn')).pid;
    await e.waitIdle(8, 10_000);
    // threads started per pass: S events between scoreboard snapshots
    expect(perPass(e.events, (ev) => ev.type === 'worker.status' && ev.status === 'S').slice(0, 4)).toEqual([1, 1, 2, 4]);
    expect(e.children()).toEqual([pid]);
    expect(liveThreads(e.events, pid).size).toBe(8);
    const st = await status(e);
    expect(st.ServerMPM).toBe('NetWare');
    expect(e.stderr()).toMatch(/\[mpm_netware:notice\] \[pid \d+:tid \d+\] AH00224: .* configured -- resuming normal operations/);
  }, 20_000);

  it('too many idle threads: one per pass is marked I and ends', async () => {
    const e = await startEngine(['--mpm', 'netware', ...set({ StartThreads: 6, MinSpareThreads: 1, MaxSpareThreads: 4 })]);
    const pid = (await e.waitFor('child.spawn')).pid;
    // 6 idle > 4: two passes each mark the last live thread I, which then ends
    await e.waitFor('worker.status', (s) => s.status === 'I' && s.thread === 5, 5000);
    await e.waitFor('worker.status', (s) => s.status === 'I' && s.thread === 4, 5000);
    await e.waitFor('worker.status', (s) => s.status === '.' && s.thread === 4, 5000);
    await sleep(1500);
    expect([...liveThreads(e.events, pid)].sort()).toEqual([0, 1, 2, 3]);
    expect(e.children()).toEqual([pid]);
  }, 20_000);

  it('a keep-alive connection keeps its thread', async () => {
    const e = await startEngine(['--mpm', 'netware', ...set({ StartThreads: 3, MinSpareThreads: 1, MaxSpareThreads: 8 })]);
    await e.waitIdle(3);
    const c = await new Conn(e.port).open();
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = (await c.request(get11('/')))!;
      expect(r.headers['x-mpm']).toBe('netware (model of mpm_netware)');
      seen.add(`${r.headers['x-child-pid']}/${r.headers['x-thread-id']}`);
    }
    c.close();
    expect(seen.size).toBe(1);
  }, 20_000);
});

describe('mpmt_os2 (model of mpmt_os2)', () => {
  it('StartServers children, each growing its own pool to MinSpareThreads', async () => {
    const e = await startEngine(['--mpm', 'mpmt_os2', ...set({ StartServers: 2, MinSpareThreads: 3, MaxSpareThreads: 6 })]);
    await e.waitIdle(6, 10_000);
    const kids = e.children();
    expect(kids).toHaveLength(2);
    for (const pid of kids) expect(liveThreads(e.events, pid).size).toBe(3);
    const r = await once(e.port, get10('/'));
    expect(r.headers['x-mpm']).toBe('mpmt_os2 (model of mpmt_os2)');
    expect((await status(e)).ServerMPM).toBe('mpmt_os2');
    // no spare-process maintenance: still two children later
    await sleep(2000);
    expect(e.children().sort()).toEqual(kids.sort());
  }, 20_000);

  it('a child accepts even with every thread busy, queues the connection, and adds threads for it', async () => {
    const e = await startEngine(['--mpm', 'mpmt_os2', ...set({ StartServers: 1, MinSpareThreads: 1, MaxSpareThreads: 2 })]);
    await e.waitIdle(1);
    const all = await Promise.all(Array.from({ length: 4 }, () => once(e.port, get10('/sleep?ms=1200'))));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(all.map((r) => r.headers['x-child-pid'])).size).toBe(1);
    // more threads than MinSpareThreads were started to take the queued connections
    expect(new Set(all.map((r) => r.headers['x-thread-id'])).size).toBeGreaterThanOrEqual(3);
  }, 20_000);

  it('MaxConnectionsPerChild counts accepted connections; the parent keeps StartServers running', async () => {
    const e = await startEngine(['--mpm', 'mpmt_os2', ...set({ StartServers: 1, MinSpareThreads: 1, MaxSpareThreads: 4, MaxConnectionsPerChild: 2 })]);
    await e.waitIdle(1);
    const a = await once(e.port, get10('/'));
    const b = await once(e.port, get10('/'));
    expect(b.headers['x-child-pid']).toBe(a.headers['x-child-pid']);
    await e.waitFor('child.exit', (x) => x.pid === Number(a.headers['x-child-pid']), 5000);
    const spawn = await e.waitFor('child.spawn', (s) => s.pid !== Number(a.headers['x-child-pid']), 5000);
    await e.waitIdle(1);
    expect((await once(e.port, get10('/'))).headers['x-child-pid']).toBe(String(spawn.pid));
  }, 20_000);

  it('a killed child is replaced, without Unix AH00052', async () => {
    const e = await startEngine(['--mpm', 'mpmt_os2', ...set({ StartServers: 2, MinSpareThreads: 1, MaxSpareThreads: 4 })]);
    await e.waitIdle(2);
    const [victim] = e.children();
    process.kill(victim, 'SIGKILL');
    await e.waitFor('child.exit', (x) => x.pid === victim, 5000);
    await e.waitFor('child.spawn', (s) => s.pid !== victim && !e.children().includes(victim), 5000);
    await e.waitIdle(2);
    expect(e.children()).toHaveLength(2);
    expect(e.stderr()).not.toMatch(/AH00052/);
  }, 20_000);
});
