// Lesson 10 (threaded): a crashing child takes every connection it holds with it.
import { claim, defineExperiment } from '../lib/experiment.js';

export default defineExperiment({
  id: 'threads/10-crash-isolation',
  mpm: 'worker',
  config: 'StartServers 1\nServerLimit 2\nThreadsPerChild 4\nMaxRequestWorkers 8\nMinSpareThreads 1\nMaxSpareThreads 8\n',
  steps: [
    {
      together: [
        { step: { mode: 'burst', connections: 2, requests: 1, path: '/sleep?ms=2500' } },
        { afterMs: 600, step: { mode: 'single', path: '/crash' } },
      ],
    },
    { action: 'wait', ms: 1500 },
    { mode: 'single', version: '1.0' },
  ],
  claims: [
    claim('The error log says AH00052: child pid … exit signal Segmentation fault (11)', (r) => r.log.some((l) => /AH00052: child pid \d+ exit signal Segmentation fault \(11\)/.test(l)),
      (r) => r.log.filter((l) => /AH000/.test(l)).join(' | ') || 'no such line'),
    claim('The two slow requests in the same child are lost with it', (r) => r.results[0].requests.every((q) => q.status === null),
      (r) => r.results[0].requests.map((q) => q.status ?? q.error).join('; ')),
    claim('The server goes on: a new child serves the next request', (r) => r.results[2].requests[0].status === 200 && r.results[2].requests[0].pid !== r.results[0].requests[0].pid,
      (r) => `next request: ${r.results[2].requests[0].status ?? r.results[2].requests[0].error} from ${r.results[2].requests[0].pid}`),
  ],
  predict: {
    question: 'worker: two slow requests are being served by threads of one child when a third request crashes that child. What happens to the two slow requests?',
    choices: [
      { id: 'finish', text: 'They finish: only the crashing request is lost' },
      { id: 'lost', text: 'They are lost too: they lived in the crashed process' },
    ],
    answer: (r) => (r.results[0].requests.every((q) => q.status === null) ? 'lost' : 'finish'),
  },
});
