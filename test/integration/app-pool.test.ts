// The application pool (`mpm-lab fpm`): real worker processes sized by
// PHP-FPM's process manager. dynamic hits pm.max_children and queues; ondemand
// starts with none and lets idle ones go; pm.max_requests recycles a process;
// a bad pool is refused with php-fpm's words.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, childrenOf, pidAlive, sleep, startEngine, stopAll } from '../helpers/engine.js';
import { get10, once } from '../helpers/http.js';

interface Pool {
  proc: ChildProcess;
  port: number;
  stderr: () => string;
}
const running: Pool[] = [];

async function startPool(conf: string): Promise<Pool> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-pool-')), 'pool.conf');
  fs.writeFileSync(file, conf);
  const proc = spawn(process.execPath, [path.join(ROOT, 'engine/bin/mpm-lab.js'), 'fpm', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const deadline = Date.now() + 10_000;
  while (!/listening on 127\.0\.0\.1:(\d+)/.test(out)) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`the pool did not start: ${err}`);
    await sleep(20);
  }
  const p = { proc, port: Number(/listening on 127\.0\.0\.1:(\d+)/.exec(out)![1]), stderr: () => err };
  running.push(p);
  return p;
}

const get = async (p: Pool, url: string) => {
  const r = await fetch(`http://127.0.0.1:${p.port}${url}`);
  return { status: r.status, pid: Number(r.headers.get('x-app-pid')), body: await r.text() };
};
const field = (status: string, name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)$`, 'm').exec(status)?.[1]);

describe('application pool (mpm-lab fpm)', () => {
  afterEach(async () => {
    for (const p of running.splice(0)) {
      const kids = childrenOf(p.proc.pid!);
      p.proc.kill('SIGTERM');
      await new Promise((r) => (p.proc.exitCode !== null ? r(null) : p.proc.once('exit', r)));
      await sleep(100);
      expect(kids.filter(pidAlive)).toEqual([]);
    }
  });

  it('dynamic: 4 slow requests on pm.max_children 2 — at most 2 processes, the rest queued, "max children reached" counted and logged', async () => {
    const p = await startPool('[www]\npm = dynamic\npm.max_children = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 2\npm.status_path = /status\n');
    expect(p.stderr()).toMatch(/NOTICE: \[pool www\] pm\.start_servers is not set\. It's been set to 1\./);
    await sleep(300);
    expect(childrenOf(p.proc.pid!)).toHaveLength(1);
    // the process manager's passes, once a second: +1 spawn a spare, +2 at pm.max_children with none idle
    const rs = await Promise.all(Array.from({ length: 4 }, () => get(p, '/app/sleep?ms=2500')));
    expect(rs.every((r) => r.status === 200)).toBe(true);
    expect(new Set(rs.map((r) => r.pid)).size).toBe(2);
    for (const r of rs) expect(r.body).toBe(`slept 2500 ms in pid ${r.pid}\n`);
    const status = (await get(p, '/status')).body;
    expect(status).toMatch(/^pool:                 www\nprocess manager:      dynamic\n/);
    expect(field(status, 'max children reached')).toBe(1);
    expect(field(status, 'max listen queue')).toBeGreaterThanOrEqual(2);
    expect(field(status, 'max active processes')).toBe(2);
    expect(field(status, 'accepted conn')).toBe(5);
    expect(p.stderr()).toMatch(/WARNING: \[pool www\] server reached pm\.max_children setting \(2\), consider raising it/);
  }, 30_000);

  it('ondemand: no process until a request comes; the idle one leaves after pm.process_idle_timeout', async () => {
    const p = await startPool('[www]\npm = ondemand\npm.max_children = 2\npm.process_idle_timeout = 1s\n');
    await sleep(300);
    expect(childrenOf(p.proc.pid!)).toEqual([]);
    const r = await get(p, '/app/');
    expect(r.body).toBe(`hello from the application, pid ${r.pid}\n`);
    expect(childrenOf(p.proc.pid!)).toEqual([r.pid]);
    const deadline = Date.now() + 5000;
    while (childrenOf(p.proc.pid!).length && Date.now() < deadline) await sleep(100);
    expect(childrenOf(p.proc.pid!)).toEqual([]);
  }, 30_000);

  it('static with pm.max_requests 2: every process serves two requests, then a fresh one takes its place', async () => {
    const p = await startPool('[www]\npm = static\npm.max_children = 1\npm.max_requests = 2\n');
    const pids: number[] = [];
    for (let i = 0; i < 5; i++) pids.push((await get(p, '/app/')).pid);
    expect(pids[0]).toBe(pids[1]);
    expect(pids[2]).not.toBe(pids[1]);
    expect(pids[2]).toBe(pids[3]);
    expect(pids[4]).not.toBe(pids[3]);
    await sleep(300);
    expect(childrenOf(p.proc.pid!)).toHaveLength(1);
    expect(p.stderr()).toContain(`NOTICE: [pool www] child ${pids[0]} exited with code 0 after `);
  }, 30_000);

  it('refuses a pool php-fpm would refuse, in its words, and starts nothing', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-pool-')), 'pool.conf');
    fs.writeFileSync(file, '[www]\npm = dynamic\npm.max_children = 4\npm.min_spare_servers = 3\npm.max_spare_servers = 2\n');
    const proc = spawn(process.execPath, [path.join(ROOT, 'engine/bin/mpm-lab.js'), 'fpm', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d) => (err += d));
    const code = await new Promise((r) => proc.on('exit', r));
    expect(code).toBe(78);
    expect(err).toMatch(/ALERT: \[pool www\] pm\.max_spare_servers\(2\) must not be less than pm\.min_spare_servers\(3\)\n.*ERROR: failed to post process the configuration\n.*ERROR: FPM initialization failed/);
  });
});

describe('the MPM and its application (--app)', () => {
  afterEach(stopAll);
  const poolFile = (conf: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-pool-')), 'pool.conf');
    fs.writeFileSync(file, conf);
    return file;
  };

  it.each(['prefork', 'event'])('%s + a pool: the MPM child only relays; a pool process runs /app/ (X-App-Pid ≠ X-Child-Pid); stopping the server stops the pool', async (mpm) => {
    const e = await startEngine(['--mpm', mpm, '--set', 'StartServers=1', '--app', `fpm:${poolFile('[www]\npm = static\npm.max_children = 2\n')}`]);
    const master = childrenOf(e.pid).find((c) => fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('\0fpm\0'))!;
    expect(master).toBeGreaterThan(0);
    while (childrenOf(master).length < 2) await sleep(50);
    const r = await once(e.port, get10('/app/sleep?ms=50'));
    expect(r.status).toBe(200);
    const app = Number(r.headers['x-app-pid']);
    expect(childrenOf(master)).toContain(app);
    expect(app).not.toBe(Number(r.headers['x-child-pid']));
    expect(r.body.toString()).toBe(`slept 50 ms in pid ${app}\n`);
    // the pool's processes and requests are in the server's event stream
    const spawned = (await e.waitFor('pool.spawn', (x) => x.pid === app)).pool;
    expect(spawned).toBe('www');
    const req = await e.waitFor('pool.request', (x) => x.pid === app);
    expect(req).toMatchObject({ method: 'GET', uri: '/app/sleep?ms=50' });
    expect(req.durationMs).toBeGreaterThanOrEqual(50);
    expect(await e.waitFor('pool.status', () => true, 3000)).toMatchObject({ pool: 'www', pm: 'static' });
    const tree = [master, ...childrenOf(master)];
    await e.stop();
    await sleep(200);
    expect(tree.filter(pidAlive)).toEqual([]);
  }, 30_000);

  it('prefork + mod_php: the application runs inside the MPM child itself', async () => {
    const e = await startEngine(['--set', 'StartServers=1', '--app', 'mod_php']);
    const r = await once(e.port, get10('/app/cpu?ms=20'));
    expect(r.headers['x-app-pid']).toBe(r.headers['x-child-pid']);
    expect(r.body.toString()).toBe(`computed 20 ms in pid ${r.headers['x-child-pid']}\n`);
  });

  it.each(['worker', 'event'])('%s + mod_php: refused as httpd refuses PHP without thread safety', async (mpm) => {
    const proc = spawn(process.execPath, [path.join(ROOT, 'engine/bin/mpm-lab.js'), 'run', '--mpm', mpm, '--listen', '127.0.0.1:0', '--app', 'mod_php'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d) => (err += d));
    expect(await new Promise((r) => proc.on('exit', r))).toBe(1);
    // as real httpd + libapache2-mod-php prints it
    expect(err).toMatch(/^\[[^\]]+\] \[php:crit\] \[pid \d+:tid \d+\] Apache is running a threaded MPM, but your PHP Module is not compiled to be threadsafe\.  You need to recompile PHP\.\nAH00013: Pre-configuration failed\n$/);
  });
});

describe('through the lab', () => {
  it('engine.start with a pool: /app/ requests answered by pool processes (appPid), their events in the stream; a bad pool refused by name', async () => {
    const { client, startLab, stopLabs } = await import('../helpers/lab.js');
    try {
      const t = await startLab();
      const c = await client(t);
      await expect(c.request({ type: 'engine.start', mpm: 'prefork', app: { mode: 'fpm', pool: '[www]\npm = dynamic\npm.max_children = 1\npm.min_spare_servers = 2\npm.max_spare_servers = 2\n' } })).rejects.toThrow(/pm\.min_spare_servers\(2\) and pm\.max_spare_servers\(2\) cannot be greater than pm\.max_children\(1\)/);
      const s = await c.request<{ id: string; pid: number }>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 4\nMinSpareServers 1\nMaxSpareServers 4\n', app: { mode: 'fpm', pool: '[www]\npm = static\npm.max_children = 2\n' } });
      const [step] = await c.request<Array<{ requests: Array<{ status: number; pid: number; appPid?: number | null }> }>>({ type: 'drive', instance: s.id, steps: [{ mode: 'burst', connections: 4, requests: 1, path: '/app/sleep?ms=300' }] });
      expect(step.requests.every((r) => r.status === 200)).toBe(true);
      const appPids = new Set(step.requests.map((r) => r.appPid));
      expect(appPids.size).toBe(2);
      for (const r of step.requests) expect(r.appPid).not.toBe(r.pid);
      await sleep(300);
      const events = c.messages.flatMap((m) => (m.type === 'events' && m.instance === s.id ? m.events : []));
      const requests = events.filter((e) => e.type === 'pool.request');
      expect(requests.length).toBe(4);
      expect(new Set(requests.map((e) => (e as { pid: number }).pid))).toEqual(appPids);
    } finally {
      await stopLabs();
    }
  }, 30_000);
});
