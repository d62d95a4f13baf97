// Lesson 15: the platform MPMs, through the winnt model: one child, a fixed pool of threads.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

export default defineExperiment({
  id: 'deeper/15-platform-mpms',
  mpm: 'winnt',
  config: 'ThreadsPerChild 4\n',
  backends: ['node'],
  steps: [
    { mode: 'burst', connections: 4, requests: 1, path: '/sleep?ms=500' },
    { mode: 'sequential', n: 4, version: '1.0' },
  ],
  claims: [
    claim('winnt runs one child process: it serves every request', (r) => distinct(r.requests.map((q) => q.pid)) === 1 && r.requests.every((q) => q.status === 200),
      (r) => `pids ${r.requests.map((q) => q.pid).join(' ')}`),
    claim('Four requests at once are served by four different threads of it', (r) => distinct(r.results[0].requests.map((q) => q.tid)) === 4, (r) => `tids ${r.results[0].requests.map((q) => q.tid).join(' ')}`),
    claim('The parent starts no more children, however busy', (r) => r.spawns().length === 1, (r) => `${r.spawns().length} children started`),
  ],
  predict: {
    question: 'The winnt MPM with ThreadsPerChild 4 gets four slow requests at once. How many processes serve them?',
    choices: [
      { id: '1', text: 'One process, four threads' },
      { id: '4', text: 'Four processes' },
      { id: '2', text: 'Two processes of two threads' },
    ],
    answer: (r) => String(distinct(r.results[0].requests.map((q) => q.pid))),
  },
});
