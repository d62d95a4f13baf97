// --backend httpd with the application: real php-fpm behind real httpd through
// mod_proxy_fcgi, and real mod_php inside httpd's children — the same CLI, the
// same /app/ answers and the same pool events as the node engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, childrenOf, pidAlive, sleep, startEngine, stopAll } from '../helpers/engine.js';
import { PHP } from '../helpers/php.js';
import { get10, get11, once } from '../helpers/http.js';

afterEach(stopAll);

const poolFile = (text: string) => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-pool-')), 'pool.conf');
  fs.writeFileSync(f, text);
  return f;
};
const comm = (pid: number) => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

(PHP ? describe : describe.skip)('real httpd + real PHP', () => {
  it('event + php-fpm: an MPM thread relays, a php-fpm pool process runs /app/; pool events from php-fpm itself; its status page; max_requests recycling', async () => {
    const pool = poolFile('[www]\npm = static\npm.max_children = 1\npm.max_requests = 2\npm.status_path = /app/status\n');
    const e = await startEngine(['--backend', 'httpd', '--mpm', 'event', '--set', 'StartServers=1', '--set', 'ThreadsPerChild=4', '--app', `fpm:${pool}`]);
    const spawned = await e.waitFor('pool.spawn', undefined, 5000);
    const master = Number(/fpm is running, pid (\d+)/.exec(await e.waitForLog(/fpm is running, pid \d+/))![1]);
    expect(comm(master)).toMatch(/^php-fpm/);
    const r = await once(e.port, get11('/app/sleep?ms=30'));
    expect(r.status).toBe(200);
    const appPid = Number(r.headers['x-app-pid']);
    expect(appPid).not.toBe(Number(r.headers['x-child-pid']));
    expect(childrenOf(master)).toContain(appPid);
    expect(r.body.toString()).toBe(`slept 30 ms in pid ${appPid}\n`);
    // mod_proxy_fcgi drops the backend's Content-Length: chunked to HTTP/1.1
    expect(r.headers['transfer-encoding']).toBe('chunked');
    const end = await e.waitFor('request.end', (x) => x.path === '/app/sleep', 5000);
    expect(end.appPid).toBe(appPid);
    const req = await e.waitFor('pool.request', (x) => x.uri === '/app/sleep?ms=30', 5000);
    expect([req.pid, req.method, req.durationMs >= 30]).toEqual([appPid, 'GET', true]);
    expect(e.of('pool.spawn').map((s) => s.pid)).toContain(spawned.pid);
    // php-fpm's own status page, through httpd
    const s = (await once(e.port, get10('/app/status'))).body.toString();
    expect(s).toMatch(/^pool:                 www\nprocess manager:      static\n/);
    expect(s).toMatch(/^accepted conn:        2$/m);
    // pm.max_requests 2: the one process served both, leaves ("exited with code 0") and php-fpm starts another
    const exit = await e.waitFor('pool.exit', undefined, 5000);
    expect(exit.reason).toBe('max-requests');
    await e.waitForLog(new RegExp(`NOTICE: \\[pool www\\] child ${exit.pid} exited with code 0 after [\\d.]+ seconds from start`));
    await e.waitForLog(/NOTICE: \[pool www\] child \d+ started/);
    const st = await e.waitFor('pool.status', (x) => x.idle + x.active === 1, 5000);
    expect([st.pm, st.listenQueue, st.maxChildrenReached]).toEqual(['static', 0, 0]);
    // stopping the server stops php-fpm
    const tree = [master, ...childrenOf(master)];
    await e.stop();
    // php-fpm's processes are reaped by their master as it exits: wait for that, not a fixed time
    const deadline = Date.now() + 5000;
    while (tree.some(pidAlive) && Date.now() < deadline) await sleep(50);
    expect(tree.filter(pidAlive)).toEqual([]);
  }, 30_000);

  it('prefork + mod_php: the application runs in the httpd child itself (X-App-Pid = X-Child-Pid), with Content-Length', async () => {
    const e = await startEngine(['--backend', 'httpd', '--mpm', 'prefork', '--set', 'StartServers=1', '--app', 'mod_php']);
    const r = await once(e.port, get10('/app/cpu?ms=20'));
    expect(r.headers['x-app-pid']).toBe(r.headers['x-child-pid']);
    expect(r.headers['content-length']).toBe(String(r.body.length));
    expect(r.body.toString()).toBe(`computed 20 ms in pid ${r.headers['x-child-pid']}\n`);
    expect((await e.waitFor('request.end', (x) => x.path === '/app/cpu', 5000)).appPid).toBe(Number(r.headers['x-child-pid']));
  }, 20_000);

  it('worker + mod_php: real httpd refuses it with PHP\'s own words, as the node engine does', async () => {
    const run = (backend: string) => new Promise<{ code: number | null; err: string }>((resolve) => {
      const p = spawn(process.execPath, [path.join(ROOT, 'engine/bin/mpm-lab.js'), 'run', '--backend', backend, '--mpm', 'worker', '--listen', '127.0.0.1:0', '--app', 'mod_php'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d) => (err += d));
      p.on('exit', (code) => resolve({ code, err }));
    });
    const [real, node] = await Promise.all([run('httpd'), run('node')]);
    const refusal = /\[php:crit\] \[pid \d+:tid \d+\] Apache is running a threaded MPM, but your PHP Module is not compiled to be threadsafe\.  You need to recompile PHP\.\nAH00013: Pre-configuration failed\n/;
    expect(real.err).toMatch(refusal);
    expect(node.err).toMatch(refusal);
    expect([real.code, node.code]).toEqual([1, 1]);
  }, 20_000);

  it('a pool key that could reach outside the private root is refused by name; php-fpm refuses bad values itself', async () => {
    const evil = await startEngine(['--backend', 'httpd', '--app', `fpm:${poolFile('[www]\npm = static\npm.max_children = 1\nphp_admin_value[auto_prepend_file] = /etc/passwd\n')}`], { ready: false });
    expect((await evil.exited).code).toBe(1);
    expect(evil.stderr()).toMatch(/unknown entry 'php_admin_value\[auto_prepend_file\]' \(line 4\)/);
    const bad = await startEngine(['--backend', 'httpd', '--app', `fpm:${poolFile('[www]\npm = dynamic\npm.max_children = 5\npm.min_spare_servers = 3\npm.max_spare_servers = 2\n')}`], { ready: false });
    expect((await bad.exited).code).toBe(1);
    // real php-fpm's ALERT, as the node engine's pool words it
    expect(bad.stderr()).toMatch(/ALERT: \[pool www\] pm\.max_spare_servers\(2\) must not be less than pm\.min_spare_servers\(3\)/);
  }, 20_000);

  it('SIGKILL of mpm-lab leaves neither httpd nor php-fpm behind', async () => {
    const e = await startEngine(['--backend', 'httpd', '--mpm', 'prefork', '--set', 'StartServers=1', '--app', `fpm:${poolFile('[www]\npm = static\npm.max_children = 2\n')}`]);
    const state = await e.waitFor('engine.state', (s) => s.state === 'running', 10_000);
    const master = Number(/fpm is running, pid (\d+)/.exec(await e.waitForLog(/fpm is running, pid \d+/))![1]);
    const tree = [state.pid, ...childrenOf(state.pid), master, ...childrenOf(master)];
    process.kill(e.pid, 'SIGKILL');
    await e.exited;
    const deadline = Date.now() + 8000;
    while (tree.some(pidAlive) && Date.now() < deadline) await sleep(100);
    expect(tree.filter(pidAlive)).toEqual([]);
  }, 20_000);
});
