// Lesson 10 (prefork): a crashing child loses only its own request.
import { claim, defineExperiment } from '../lib/experiment.js';

export default defineExperiment({
  id: 'threads/10-crash-isolation-prefork',
  mpm: 'prefork',
  config: 'StartServers 4\nMinSpareServers 1\nMaxSpareServers 5\n',
  steps: [
    {
      together: [
        { step: { mode: 'burst', connections: 2, requests: 1, path: '/sleep?ms=2500' } },
        { afterMs: 600, step: { mode: 'single', path: '/crash' } },
      ],
    },
  ],
  claims: [
    claim('The error log says AH00052 for the crashed child', (r) => r.ahIds.includes('AH00052'), (r) => `AH ids: ${r.ahIds.join(' ')}`),
    claim('The crashing request gets no response', (r) => r.results[1].requests[0].status === null, (r) => `crash: ${r.results[1].requests[0].status}`),
    claim('The two slow requests, in other children, finish', (r) => r.results[0].requests.every((q) => q.status === 200), (r) => r.results[0].requests.map((q) => q.status ?? q.error).join('; ')),
  ],
});
