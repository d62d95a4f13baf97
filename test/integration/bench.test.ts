// The bench's moving parts on real servers: its node:cluster peer and the engine
// as the bench starts them, measured by ab (the load generator that is not our
// driver). Figures are not asserted here (they go in `npm run bench`); that the
// measurement is real and complete is.
import { afterAll, describe, expect, it } from 'vitest';
import { ab, findAb } from '../../engine/bench/load.js';
import { clusterProcesses, startTarget, type Target } from '../../engine/bench/targets.js';
import { pidAlive, sleep } from '../helpers/engine.js';

const AB = findAb();
if (!AB) {
  const msg = '\n*** `ab` not found (Debian: apt-get install apache2-utils): bench tests are SKIPPED ***\n';
  if (process.env.CI) throw new Error(msg + 'CI=true: a missing ab is a failure.');
  console.warn(msg);
}
const suite = AB ? describe : describe.skip;

suite('bench targets under ab', () => {
  const started: Target[] = [];
  afterAll(async () => {
    await Promise.all(started.map((t) => t.stop()));
  });

  it.each(['engine', 'cluster'] as const)('%s: every request answered, latency percentiles read, its processes counted and stopped', async (kind) => {
    const t = await startTarget(kind, 'prefork');
    started.push(t);
    const kids = t.children();
    expect(kids).toHaveLength(kind === 'cluster' ? clusterProcesses() : 25);
    for (const keepalive of [false, true]) {
      const r = await ab(t.port, { concurrency: 4, keepalive, seconds: 5, requests: 400 });
      expect(r.completed).toBe(400);
      expect(r.failed).toBe(0);
      expect(r.reqPerSec).toBeGreaterThan(0);
      expect(r.p50).toBeGreaterThan(0);
      expect(r.p99).toBeGreaterThanOrEqual(r.p50);
    }
    await t.stop();
    for (let i = 0; i < 40 && kids.some(pidAlive); i++) await sleep(50); // signalled: gone within moments
    expect(kids.filter(pidAlive)).toEqual([]);
  }, 60_000);
});
