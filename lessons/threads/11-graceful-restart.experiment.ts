// Lesson 11: a graceful restart lets in-flight requests finish; new children are the next generation.
import { claim, defineExperiment } from '../lib/experiment.js';

export default defineExperiment({
  id: 'threads/11-graceful-restart',
  mpm: 'prefork',
  config: 'StartServers 2\nMinSpareServers 1\nMaxSpareServers 3\n',
  steps: [
    { mode: 'sequential', n: 2, version: '1.0' },
    {
      together: [
        { step: { mode: 'single', path: '/sleep?ms=2500', version: '1.0' } },
        { afterMs: 700, step: { action: 'restart', mode: 'graceful' } },
      ],
    },
    { action: 'wait', ms: 1500 },
    { mode: 'sequential', n: 3, version: '1.0' },
  ],
  claims: [
    claim('Before the restart, children are generation 0', (r) => r.results[0].requests.every((q) => q.generation === 0), (r) => r.results[0].requests.map((q) => q.generation).join(' ')),
    claim('The request in flight during the graceful restart finishes (200), served by a generation 0 child', (r) => r.results[1].requests[0].status === 200 && r.results[1].requests[0].generation === 0,
      (r) => `${r.results[1].requests[0].status ?? r.results[1].requests[0].error}, generation ${r.results[1].requests[0].generation}`),
    claim('After it, new requests are served by generation 1 children', (r) => r.results[2].requests.every((q) => q.status === 200 && q.generation === 1), (r) => r.results[2].requests.map((q) => q.generation).join(' ')),
    claim('The error log says AH00171: Graceful restart requested, doing restart', (r) => r.ahIds.includes('AH00171'), (r) => `AH ids: ${r.ahIds.join(' ')}`),
  ],
  predict: {
    question: 'A request is in flight (a 2.5 s download) when you send a graceful restart (SIGUSR1). What happens to it?',
    choices: [
      { id: 'finish', text: 'It finishes; its child exits afterwards' },
      { id: 'cut', text: 'It is cut off: the child is replaced at once' },
    ],
    answer: (r) => (r.results[1].requests[0].status === 200 ? 'finish' : 'cut'),
  },
});
