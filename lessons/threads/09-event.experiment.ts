// Lesson 9: event — idle keep-alive connections wait in the listener, without a thread.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

export default defineExperiment({
  id: 'threads/09-event',
  mpm: 'event',
  config: 'StartServers 1\nServerLimit 1\nThreadsPerChild 2\nThreadLimit 2\nMaxRequestWorkers 2\nMinSpareThreads 1\nMaxSpareThreads 4\nKeepAliveTimeout 10\n',
  steps: [
    { mode: 'keepalive', n: 8, thinkMs: 30, version: '1.1' },
    {
      together: [
        { step: { mode: 'keepalive', n: 2, thinkMs: 2500, version: '1.1' } },
        { step: { mode: 'keepalive', n: 2, thinkMs: 2500, version: '1.1' } },
        { afterMs: 600, step: { mode: 'single', version: '1.0' } },
      ],
    },
  ],
  claims: [
    claim('One keep-alive connection stays in one child', (r) => distinct(r.results[0].requests.map((q) => q.pid)) === 1, (r) => r.results[0].requests.map((q) => q.pid).join(' ')),
    claim('…but its requests may be served by different threads', (r) => distinct(r.results[0].requests.map((q) => q.tid)) > 1, (r) => `tids ${r.results[0].requests.map((q) => q.tid).join(' ')}`),
    claim('Two idle keep-alive connections hold no thread: a new connection is served at once', (r) => r.results[3].requests[0].status === 200 && r.results[3].requests[0].ms < 1000,
      (r) => `new connection: ${r.results[3].requests[0].status ?? r.results[3].requests[0].error} after ${Math.round(r.results[3].requests[0].ms)} ms`),
  ],
  predict: {
    question: 'event, 2 threads in total. Two clients hold keep-alive connections open and idle. A third client connects: what happens?',
    choices: [
      { id: 'served', text: 'It is served at once: idle connections wait in the listener, not in a thread' },
      { id: 'waits', text: 'It waits: each idle keep-alive connection still holds a thread' },
    ],
    answer: (r) => (r.results[3].requests[0].ms > 1200 ? 'waits' : 'served'),
  },
});
