// Lesson 6: MaxRequestWorkers caps the children; the next connection waits in the backlog; AH00161.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

export default defineExperiment({
  id: 'basics/06-max-request-workers',
  mpm: 'prefork',
  config: 'StartServers 1\nMinSpareServers 1\nMaxSpareServers 2\nMaxRequestWorkers 2\n',
  steps: [{ mode: 'burst', connections: 3, requests: 1, path: '/sleep?ms=2000' }],
  claims: [
    claim('The error log says AH00161: server reached MaxRequestWorkers setting', (r) => r.ahIds.includes('AH00161'), (r) => `AH ids: ${r.ahIds.join(' ') || 'none'}`),
    claim('No third child is started: two children serve all three requests', (r) => distinct(r.requests.map((q) => q.pid)) === 2, (r) => `pids ${r.requests.map((q) => q.pid).join(' ')}`),
    claim('The third connection is not refused: it waits, then is served', (r) => r.requests.every((q) => q.status === 200) && Math.max(...r.requests.map((q) => q.ms)) > 3500,
      (r) => r.requests.map((q) => `${q.status ?? q.error} in ${Math.round(q.ms)} ms`).join('; ')),
  ],
  predict: {
    question: 'MaxRequestWorkers 2, and three slow requests arrive at once. What happens to the third?',
    choices: [
      { id: 'refused', text: 'It is refused (connection refused or 503)' },
      { id: 'waits', text: 'It waits until a child is free, then it is served' },
      { id: 'third', text: 'A third child is started for it' },
    ],
    answer: (r) => (r.requests.some((q) => q.status !== 200) ? 'refused' : distinct(r.requests.map((q) => q.pid)) > 2 ? 'third' : 'waits'),
  },
  solution: {
    task: 'Let all three slow requests be served at once, with no wait (raising MaxRequestWorkers alone is not enough: the third child must already be there).',
    config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 3\nMaxRequestWorkers 3\n',
    solved: (r) => (r.requests.every((q) => q.status === 200) && Math.max(...r.requests.map((q) => q.ms)) < 3000 ? null : r.requests.map((q) => `${q.status ?? q.error} in ${Math.round(q.ms)} ms`).join('; ')),
  },
});
