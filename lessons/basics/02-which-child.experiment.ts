// Lesson 2: prefork, sequential HTTP/1.0 requests rotate over the idle children.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

export default defineExperiment({
  id: 'basics/02-which-child',
  mpm: 'prefork',
  config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\n',
  steps: [{ mode: 'sequential', n: 9, version: '1.0' }],
  // real httpd's scoreboard readings would be connections too, taking turns
  statusPoll: false,
  claims: [
    claim('Nine requests are shared by the three idle children: each serves some', (r) => distinct(r.requests.map((q) => q.pid)) === 3 && r.requests.every((q) => q.status === 200),
      (r) => `pids ${r.requests.map((q) => q.pid).join(' ')}`),
    claim('They take turns: a child that just served is rarely the next to serve', (r) => r.requests.slice(1).filter((q, i) => q.pid === r.requests[i].pid).length <= 2,
      (r) => `pids in order ${r.requests.map((q) => q.pid).join(' ')}`),
  ],
  predict: {
    question: 'Request 1 was served by some child. You send request 2, also HTTP/1.0 on a new connection. Which child serves it?',
    choices: [
      { id: 'same', text: 'The same child: it is idle again' },
      { id: 'other', text: 'A different child: the one that has waited longest' },
      { id: 'parent', text: 'The parent' },
    ],
    answer: (r) => (r.requests[1].pid === r.parentPid ? 'parent' : r.requests[1].pid === r.requests[0].pid ? 'same' : 'other'),
  },
  solution: {
    task: 'Change the configuration so that every HTTP/1.0 request is served by the same child.',
    config: 'StartServers 1\nMinSpareServers 1\nMaxSpareServers 1\n',
    solved: (r) => (distinct(r.requests.map((q) => q.pid)) === 1 ? null : `pids ${r.requests.map((q) => q.pid).join(' ')}`),
  },
});
