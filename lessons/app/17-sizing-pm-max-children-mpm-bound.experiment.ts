// Lesson 17, the other way round: a pool larger than MaxRequestWorkers — the MPM is the limit, the
// extra pool processes only cost memory. Checked by the lesson runner (no page of its own).
import { claim, defineExperiment } from '../lib/experiment.js';

export default defineExperiment({
  id: 'app/17-sizing-pm-max-children-mpm-bound',
  mpm: 'event',
  config: 'StartServers 1\nServerLimit 1\nThreadsPerChild 2\nMinSpareThreads 1\nMaxSpareThreads 2\nMaxRequestWorkers 2\n',
  app: { mode: 'fpm', pool: '[www]\npm = static\npm.max_children = 4\n' },
  settleMs: 1000,
  steps: [{ mode: 'burst', connections: 6, requests: 1, path: '/app/sleep?ms=800' }],
  claims: [
    claim('With MaxRequestWorkers 2 in front of a pool of 4, six 0.8 s requests still take three turns: the slowest ≥ 2.2 s',
      (r) => r.requests.every((q) => q.status === 200) && Math.max(...r.requests.map((q) => q.ms)) >= 2200,
      (r) => r.requests.map((q) => `${q.status ?? q.error} in ${Math.round(q.ms)} ms`).join('; ')),
    claim('The pool’s status never showed more than 2 active processes, though it has 4: the MPM relays only as many requests as it has workers',
      (r) => r.poolStatus().length > 0 && Math.max(...r.poolStatus().map((s) => s.active)) <= 2,
      (r) => `active processes per status: ${r.poolStatus().map((s) => s.active).join(' ') || 'no status seen'}`),
  ],
});
