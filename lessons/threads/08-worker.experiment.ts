// Lesson 8: worker — threads in a few processes; a keep-alive connection holds its thread.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

export default defineExperiment({
  id: 'threads/08-worker',
  mpm: 'worker',
  config: 'StartServers 1\nServerLimit 1\nThreadsPerChild 2\nThreadLimit 2\nMaxRequestWorkers 2\nMinSpareThreads 1\nMaxSpareThreads 4\nKeepAliveTimeout 10\n',
  steps: [
    { mode: 'keepalive', n: 4, thinkMs: 100, version: '1.1' },
    {
      together: [
        { step: { mode: 'keepalive', n: 2, thinkMs: 2500, version: '1.1' } },
        { step: { mode: 'keepalive', n: 2, thinkMs: 2500, version: '1.1' } },
        { afterMs: 600, step: { mode: 'single', version: '1.0' } },
      ],
    },
  ],
  claims: [
    claim('One keep-alive connection: every request on the same thread of the same child', (r) => distinct(r.results[0].requests.map((q) => `${q.pid}/${q.tid}`)) === 1,
      (r) => r.results[0].requests.map((q) => `${q.pid}/${q.tid}`).join(' ')),
    claim('The thread is a thread of the child, not the child process itself', (r) => r.results[0].requests.every((q) => q.tid !== null && q.tid !== q.pid),
      (r) => r.results[0].requests.map((q) => `pid ${q.pid} tid ${q.tid}`).join('; ')),
    claim('Two idle keep-alive connections hold both threads: a new connection waits until one is released', (r) => r.results[3].requests[0].status === 200 && r.results[3].requests[0].ms > 1200,
      (r) => `new connection: ${r.results[3].requests[0].status ?? r.results[3].requests[0].error} after ${Math.round(r.results[3].requests[0].ms)} ms`),
  ],
  predict: {
    question: 'worker, 2 threads in total. Two clients hold keep-alive connections open and idle. A third client connects: what happens?',
    choices: [
      { id: 'served', text: 'It is served at once: the idle connections use no thread' },
      { id: 'waits', text: 'It waits: each idle keep-alive connection still holds a thread' },
    ],
    answer: (r) => (r.results[3].requests[0].ms > 1200 ? 'waits' : 'served'),
  },
  solution: {
    task: 'Still with worker and one process, let the third client be served at once while the two keep-alive connections idle.',
    config: 'StartServers 1\nServerLimit 1\nThreadsPerChild 3\nThreadLimit 3\nMaxRequestWorkers 3\nMinSpareThreads 1\nMaxSpareThreads 4\nKeepAliveTimeout 10\n',
    solved: (r) => (r.results[3].requests[0].status === 200 && r.results[3].requests[0].ms < 1000 ? null : `new connection after ${Math.round(r.results[3].requests[0].ms)} ms`),
  },
});
