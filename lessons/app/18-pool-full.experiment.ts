// Lesson 18: the pool is full — requests queue in its listen queue, "max children reached" counts it,
// php-fpm warns "server reached pm.max_children setting".
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

const WARNING = 'WARNING: [pool www] server reached pm.max_children setting (2), consider raising it';

export default defineExperiment({
  id: 'app/18-pool-full',
  mpm: 'event',
  config: 'StartServers 1\nServerLimit 1\nThreadsPerChild 8\nMinSpareThreads 1\nMaxSpareThreads 8\nMaxRequestWorkers 8\n',
  app: { mode: 'fpm', pool: '[www]\npm = dynamic\npm.max_children = 2\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 2\n' },
  settleMs: 1000,
  steps: [{ mode: 'burst', connections: 4, requests: 1, path: '/app/sleep?ms=1500' }],
  claims: [
    claim('The pool never grew past pm.max_children: two processes served all four',
      (r) => distinct(r.appRequests.map((q) => q.appPid)) === 2,
      (r) => `application pids: ${[...new Set(r.appRequests.map((q) => q.appPid))].join(', ') || 'none'}`),
    claim('The two extra requests were not refused: they waited in the pool’s listen queue, then ran (the slowest took two turns, ≥ 2.8 s)',
      (r) => r.requests.length === 4 && r.requests.every((q) => q.status === 200) && Math.max(...r.requests.map((q) => q.ms)) >= 2800,
      (r) => r.requests.map((q) => `${q.status ?? q.error} in ${Math.round(q.ms)} ms`).join('; ')),
    claim('The pool’s status page counted it: max children reached ≥ 1',
      (r) => Math.max(0, ...r.poolStatus().map((s) => s.maxChildrenReached)) >= 1,
      (r) => `max children reached: ${r.poolStatus().map((s) => s.maxChildrenReached).join(' ') || 'no status seen'}`),
    claim(`php-fpm’s log says “${WARNING}”`,
      (r) => r.log.some((l) => l.includes(WARNING)),
      (r) => r.log.filter((l) => l.includes('[pool ')).join(' | ') || 'no php-fpm line'),
  ],
  predict: {
    question: 'The pool has pm.max_children = 2, both processes running. Four slow /app/ requests arrive at once. What happens to the third and the fourth?',
    choices: [
      { id: 'refused', text: 'They are refused with an error (502 or 503)' },
      { id: 'queue', text: 'They wait in the pool’s listen queue until a process is free' },
      { id: 'spawn', text: 'The pool starts two more processes for them' },
    ],
    answer: (r) => (r.requests.some((q) => q.status !== 200) ? 'refused' : distinct(r.appRequests.map((q) => q.appPid)) > 2 ? 'spawn' : 'queue'),
  },
});
