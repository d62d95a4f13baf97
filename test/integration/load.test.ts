// Under load: ab -c 50 -n 20000 against each MPM, sized for 50 clients. Every
// request answered, none failed, and the server's own count (mod_status's
// Total Accesses, summed from the scoreboard) equals what the client counted.
// One exception is httpd's own behaviour: event closes kept-alive connections
// when a process has no idle worker (ab counts such a close as a "Length"
// failure and reconnects; real httpd 2.4.71 does it 20–30 times in this run
// with 2×25 threads). There only that kind is allowed, and the server's count
// must equal the responses the client got.
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend, type RunningEngine } from '../../engine/cli/engine-process.js';
import { ab, findAb } from '../../engine/bench/load.js';
import { sleep } from '../helpers/engine.js';

const AB = findAb();
if (!AB) {
  const msg = '\n*** `ab` not found (Debian: apt-get install apache2-utils): load tests are SKIPPED ***\n';
  if (process.env.CI) throw new Error(msg + 'CI=true: a missing ab is a failure.');
  console.warn(msg);
}
const suite = AB ? describe : describe.skip;
const STRESS = !!process.env.MPM_LAB_STRESS;

const CONFIG: Record<string, Record<string, number>> = {
  // fewer workers than clients: the rest wait in the backlog, as they would in httpd
  prefork: { StartServers: 50, MinSpareServers: 5, MaxSpareServers: 64, MaxRequestWorkers: 64 },
  worker: { StartServers: 2, ThreadsPerChild: 25, MinSpareThreads: 25, MaxSpareThreads: 75, MaxRequestWorkers: 100 },
  event: { StartServers: 2, ThreadsPerChild: 25, MinSpareThreads: 25, MaxSpareThreads: 75, MaxRequestWorkers: 100 },
};

async function totalAccesses(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/server-status?auto`)).text();
  return Number(/^Total Accesses: (\d+)$/m.exec(text)?.[1] ?? NaN);
}

suite('load: ab -c 50 -n 20000', () => {
  let engine: RunningEngine | null = null;
  afterEach(async () => {
    await engine?.stop();
    engine = null;
  });

  // npm test: each MPM once (prefork with a connection per request, the threaded
  // ones kept alive, where event parks connections); npm run stress: every MPM both ways
  const ALL = [
    ['prefork', false],
    ['prefork', true],
    ['worker', false],
    ['worker', true],
    ['event', false],
    ['event', true],
  ] as const;
  it.each(STRESS ? ALL : ALL.filter(([mpm, ka]) => ka === (mpm !== 'prefork')))('%s (keep-alive: %s): 0 failed, and the scoreboard counted every request', async (mpm, keepalive) => {
    engine = await startBackend('node', mpm, { ...CONFIG[mpm], MaxKeepAliveRequests: 0, LogLevel: 'warn' }, { events: false });
    const r = await ab(engine.port, { concurrency: 50, keepalive, seconds: 120, requests: 20_000 });
    expect(r.completed).toBe(20_000);
    if (mpm === 'event' && keepalive) {
      expect({ ...r.failedBy, length: 0 }).toEqual({ connect: 0, receive: 0, length: 0, exceptions: 0 });
    } else {
      expect(r.failed).toBe(0);
    }
    await sleep(100); // children report within 10 ms
    // the status request is counted once it is done, so the first reading is the client's count
    expect(await totalAccesses(engine.port)).toBe(20_000 - r.failed);
    expect(engine.stderr()).not.toMatch(/AH00052|AH00161|crit|emerg/);
  }, 150_000);
});
