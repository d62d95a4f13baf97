// Fork failure, for real: the engine's parent is moved into a cgroup whose
// pids.max is what it already has, so the kernel refuses its next fork() with
// EAGAIN (root is not exempt, unlike RLIMIT_NPROC). httpd then logs
// "fork: Unable to fork new process" (AH00159 prefork, AH00481 event) and
// sleeps 10 s before trying again; so must we — one line, not a crash loop,
// the parent alive — and once the cap is lifted the pool refills.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { childrenOf, pidAlive, sleep, startEngine, stopAll } from '../helpers/engine.js';

/** A pids cgroup we may create (cgroup v1 `pids` hierarchy, or v2 with the pids controller), or null. */
function pidsCgroupRoot(): string | null {
  for (const dir of ['/sys/fs/cgroup/pids', '/sys/fs/cgroup']) {
    try {
      if (dir === '/sys/fs/cgroup' && !fs.readFileSync(`${dir}/cgroup.subtree_control`, 'utf8').includes('pids')) continue;
      const probe = `${dir}/mpm-lab-probe-${process.pid}`;
      fs.mkdirSync(probe);
      const ok = fs.existsSync(`${probe}/pids.max`);
      fs.rmdirSync(probe);
      if (ok) return dir;
    } catch {
      // not this one
    }
  }
  return null;
}

const ROOT = pidsCgroupRoot();
if (!ROOT) console.warn('\n*** no writable pids cgroup (needs root and the pids controller): fork-failure tests are SKIPPED ***\n');
const suite = ROOT ? describe : describe.skip;

suite('fork failure (a pids cgroup at its limit)', () => {
  let cg = '';
  afterEach(async () => {
    await stopAll();
    if (cg) {
      // an empty cgroup can be removed; its processes have exited with the engine
      for (let i = 0; i < 50 && fs.existsSync(cg); i++) {
        try {
          fs.rmdirSync(cg);
        } catch {
          await sleep(100);
        }
      }
      cg = '';
    }
  });

  // npm test: prefork; npm run stress: event too (each takes the 10 s back-off)
  const CASES: Array<[string, string, string[]]> = [
    ['prefork', 'AH00159', ['--set', 'StartServers=2', '--set', 'MinSpareServers=2', '--set', 'MaxSpareServers=4']],
    ['event', 'AH00481', ['--mpm', 'event', '--set', 'StartServers=1', '--set', 'ThreadsPerChild=4', '--set', 'MinSpareThreads=4', '--set', 'MaxSpareThreads=8']],
  ];
  it.each(process.env.MPM_LAB_STRESS ? CASES : CASES.slice(0, 1))('%s: logs %s once, backs off 10 s, stays up, and refills when forks work again', async (mpm, ah, args) => {
    const e = await startEngine([...args, '--set', 'LogLevel=info']);
    const want = mpm === 'prefork' ? 2 : 1;
    while (e.children().length < want) await sleep(50);
    await sleep(1500); // past startup: the parent has every thread it will have
    cg = `${ROOT}/mpm-lab-test-${process.pid}-${mpm}`;
    fs.mkdirSync(cg);
    fs.writeFileSync(`${cg}/cgroup.procs`, String(e.pid));
    fs.writeFileSync(`${cg}/pids.max`, fs.readFileSync(`${cg}/pids.current`, 'utf8').trim());
    // the pool loses its children; the parent has to fork, and cannot
    for (const pid of e.children()) process.kill(pid, 'SIGKILL');
    const line = await e.waitForLog(new RegExp(`${ah}: fork: Unable to fork new process`), 5000);
    expect(line).toMatch(/\[pid \d+(:tid \d+)?\] \(11\)Resource temporarily unavailable: /);
    await sleep(3000);
    // the back-off: one failure in these seconds, not one per maintenance pass
    expect(e.stderr().match(new RegExp(ah, 'g'))!.length).toBe(1);
    expect(pidAlive(e.pid)).toBe(true);
    expect(childrenOf(e.pid)).toEqual([]);
    fs.writeFileSync(`${cg}/pids.max`, 'max');
    const deadline = Date.now() + 15_000;
    while (childrenOf(e.pid).length < want && Date.now() < deadline) await sleep(100);
    expect(childrenOf(e.pid).length).toBeGreaterThanOrEqual(want);
    await e.waitIdle(want, 5000);
  }, 40_000);
});
