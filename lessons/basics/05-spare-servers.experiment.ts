// Lesson 5: MinSpareServers ramps 1, 2, 4, 8… children per second; MaxSpareServers stops one idle child per second.
import { claim, defineExperiment, type Run } from '../lib/experiment.js';

/** sizes of the spawn batches: spawns less than 500 ms apart belong to one maintenance pass */
export function spawnBatches(r: Run): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (const s of r.spawns()) {
    if (s.ts - last < 500) out[out.length - 1]++;
    else out.push(1);
    last = s.ts;
  }
  return out;
}

export default defineExperiment({
  id: 'basics/05-spare-servers',
  mpm: 'prefork',
  config: 'StartServers 1\nMinSpareServers 10\nMaxSpareServers 12\n',
  settleMs: 200,
  steps: [{ action: 'wait', ms: 10_500 }],
  claims: [
    claim('The missing spares arrive in batches that grow (1, 2, 4, 8)', (r) => {
      const b = spawnBatches(r).slice(1); // the first batch is StartServers
      return b.length >= 3 && b.every((n, i) => i === 0 || n > b[i - 1]) && b.reduce((a, n) => a + n, 0) === 15;
    }, (r) => `batches ${spawnBatches(r).join(', ')}`),
    claim('Idle children above MaxSpareServers 12 are stopped one per second, not at once', (r) => {
      const t = r.exits().map((e) => e.ts);
      return t.length >= 3 && t[2] - t[0] >= 1500;
    }, (r) => `exits at ${r.exits().map((e) => Math.round(e.ts)).join(', ')}`),
  ],
  predict: {
    question: 'StartServers 1, MinSpareServers 10: how do the missing idle children arrive?',
    choices: [
      { id: 'once', text: 'All nine at once' },
      { id: 'one', text: 'One per second' },
      { id: 'grow', text: 'In batches that double each second: 1, 2, 4, 8' },
    ],
    answer: (r) => {
      const b = spawnBatches(r).slice(1);
      return b.length <= 1 ? 'once' : b.every((n) => n === 1) ? 'one' : 'grow';
    },
  },
});
