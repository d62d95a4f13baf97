// Lesson 16, the other half: prefork + mod_php — the application lives in every MPM child, and a
// keep-alive connection pins one, application and all. Checked by the lesson runner (no page of its own).
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

export default defineExperiment({
  id: 'app/16-why-php-fpm-mod-php',
  mpm: 'prefork',
  config: 'StartServers 6\nMinSpareServers 1\nMaxSpareServers 6\nMaxRequestWorkers 6\n',
  app: { mode: 'mod_php' },
  settleMs: 1000,
  steps: [{ mode: 'burst', connections: 6, requests: 2, keepalive: true, thinkMs: 1000, path: '/app/sleep?ms=300' }],
  claims: [
    claim('Under mod_php the application runs inside the MPM child: X-App-Pid is X-Child-Pid on every response',
      (r) => r.requests.length === 12 && r.appRequests.length === 12 && r.appRequests.every((q) => q.appPid === q.pid),
      (r) => r.requests.map((q) => `${q.status ?? q.error}: child ${q.pid}, app ${q.appPid ?? '—'}`).join('; ')),
    claim('Each keep-alive connection pinned one child — the application with it — for its whole life, think time included: six connections, six processes',
      (r) => distinct(r.requests.map((q) => q.pid)) === 6 && [1, 2, 3, 4, 5, 6].every((c) => distinct(r.requests.filter((q) => q.connection === c).map((q) => q.pid)) === 1),
      (r) => [1, 2, 3, 4, 5, 6].map((c) => `connection ${c}: ${r.requests.filter((q) => q.connection === c).map((q) => q.pid).join(',')}`).join('; ')),
  ],
});
