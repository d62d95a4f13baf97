// Lesson 13 (worker): a library with process-wide state and no lock loses updates under threads.
import { claim, defineExperiment, distinct, type Run } from '../lib/experiment.js';

/** the counter as the last step read it (GET /counter?read=1) */
export function counterRead(r: Run): number | null {
  const m = /counter (\d+)/.exec(r.results[r.results.length - 1]?.raw ?? '');
  return m ? Number(m[1]) : null;
}

export default defineExperiment({
  id: 'deeper/13-thread-safety',
  mpm: 'worker',
  config: 'StartServers 1\nServerLimit 1\nThreadsPerChild 4\nMaxRequestWorkers 4\nMinSpareThreads 1\nMaxSpareThreads 4\n',
  steps: [
    { mode: 'burst', connections: 8, requests: 1, path: '/counter?ms=300' },
    { mode: 'raw', data: 'GET /counter?read=1 HTTP/1.0\r\n\r\n', waitMs: 2000 },
  ],
  claims: [
    claim('All 8 requests are served, by threads of one process', (r) => r.results[0].requests.every((q) => q.status === 200) && distinct(r.results[0].requests.map((q) => q.pid)) === 1,
      (r) => r.results[0].requests.map((q) => `${q.status ?? q.error} from ${q.pid}`).join('; ')),
    claim('Threads running the library at the same time lose increments: the counter reads less than 8', (r) => (counterRead(r) ?? 99) < 8, (r) => `counter ${counterRead(r)}`),
  ],
  predict: {
    question: 'worker, one process of 4 threads. 8 requests arrive at once; each one adds 1 to a counter that a library keeps for the whole process, without a lock. What does the counter read afterwards?',
    choices: [
      { id: '8', text: '8' },
      { id: 'fewer', text: 'Fewer than 8' },
      { id: 'more', text: 'More than 8' },
    ],
    answer: (r) => {
      const n = counterRead(r) ?? 0;
      return n === 8 ? '8' : n < 8 ? 'fewer' : 'more';
    },
  },
});
