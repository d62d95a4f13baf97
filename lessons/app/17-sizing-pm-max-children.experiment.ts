// Lesson 17: pm.max_children against MaxRequestWorkers — the smaller of the two sets how much runs at once.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

const slowest = (ms: number[]) => Math.max(0, ...ms);

export default defineExperiment({
  id: 'app/17-sizing-pm-max-children',
  mpm: 'event',
  config: 'StartServers 1\nServerLimit 1\nThreadsPerChild 8\nMinSpareThreads 1\nMaxSpareThreads 8\nMaxRequestWorkers 8\n',
  app: { mode: 'fpm', pool: '[www]\npm = static\npm.max_children = 2\n' },
  settleMs: 1000,
  steps: [{ mode: 'burst', connections: 6, requests: 1, path: '/app/sleep?ms=800' }],
  claims: [
    claim('The MPM took all six at once: six different threads held them',
      (r) => distinct(r.requests.map((q) => `${q.pid}:${q.tid}`)) === 6,
      (r) => `threads: ${r.requests.map((q) => `${q.pid}:${q.tid}`).join(' ')}`),
    claim('Only pm.max_children = 2 processes ran them',
      (r) => distinct(r.appRequests.map((q) => q.appPid)) === 2,
      (r) => `application pids: ${[...new Set(r.appRequests.map((q) => q.appPid))].join(', ') || 'none'}`),
    claim('So they ran two at a time: every one was answered, the slowest after three turns of 0.8 s',
      (r) => r.requests.every((q) => q.status === 200) && slowest(r.requests.map((q) => q.ms)) >= 2200,
      (r) => r.requests.map((q) => `${q.status ?? q.error} in ${Math.round(q.ms)} ms`).join('; ')),
  ],
  predict: {
    question: 'MaxRequestWorkers is 8 and pm.max_children is 2. Six /app/ requests of 0.8 s each arrive at once. How long does the slowest one take?',
    choices: [
      { id: 'one', text: 'About 0.8 s: eight MPM workers are plenty for six requests' },
      { id: 'three', text: 'About 2.4 s: the pool runs two at a time, so the last waits two turns' },
      { id: 'refused', text: 'Some are refused: the pool has no room for them' },
    ],
    answer: (r) => (r.requests.some((q) => q.status !== 200) ? 'refused' : slowest(r.requests.map((q) => q.ms)) < 1800 ? 'one' : 'three'),
  },
});
