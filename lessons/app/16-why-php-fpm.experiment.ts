// Lesson 16: event + PHP-FPM — the MPM's threads relay, a separately sized pool runs the application.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

export default defineExperiment({
  id: 'app/16-why-php-fpm',
  mpm: 'event',
  config: 'StartServers 1\nServerLimit 1\nThreadsPerChild 8\nMinSpareThreads 1\nMaxSpareThreads 8\nMaxRequestWorkers 8\n',
  app: { mode: 'fpm', pool: '[www]\npm = static\npm.max_children = 2\n' },
  settleMs: 1000,
  steps: [{ mode: 'burst', connections: 6, requests: 2, keepalive: true, thinkMs: 1000, path: '/app/sleep?ms=300' }],
  claims: [
    claim('Every /app/ response was run by a pool process (X-App-Pid), never by the MPM child that relayed it',
      (r) => r.requests.length === 12 && r.appRequests.length === 12 && r.appRequests.every((q) => q.appPid !== q.pid),
      (r) => r.requests.map((q) => `${q.status ?? q.error}: child ${q.pid}, app ${q.appPid ?? '—'}`).join('; ')),
    claim('Six keep-alive connections, yet the application ran in pm.max_children = 2 processes',
      (r) => distinct(r.appRequests.map((q) => q.appPid)) === 2,
      (r) => `application pids: ${[...new Set(r.appRequests.map((q) => q.appPid))].join(', ') || 'none'}`),
    claim('A pool process belongs to no connection: each one served requests of several connections',
      (r) => [...new Set(r.appRequests.map((q) => q.appPid))].every((p) => distinct(r.appRequests.filter((q) => q.appPid === p).map((q) => q.connection)) >= 2),
      (r) => [...new Set(r.appRequests.map((q) => q.appPid))].map((p) => `pid ${p}: connections ${[...new Set(r.appRequests.filter((q) => q.appPid === p).map((q) => q.connection))].join(',')}`).join('; ')),
  ],
  predict: {
    question: 'Six keep-alive clients each send two /app/ requests, a second apart, to event + a PHP-FPM pool with pm.max_children = 2. How many processes run the application code?',
    choices: [
      { id: 'six', text: 'Six: one per connection, as under prefork + mod_php' },
      { id: 'two', text: 'Two: the pool’s pm.max_children, however many connections there are' },
      { id: 'eight', text: 'Eight: one per MPM thread' },
    ],
    answer: (r) => {
      const n = distinct(r.appRequests.map((q) => q.appPid));
      return n <= 2 ? 'two' : n >= 8 ? 'eight' : 'six';
    },
  },
});
