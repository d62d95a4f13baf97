// Lesson 7: MaxConnectionsPerChild counts connections, not requests.
import { claim, defineExperiment } from '../lib/experiment.js';

export default defineExperiment({
  id: 'basics/07-max-connections-per-child',
  mpm: 'prefork',
  config: 'StartServers 1\nMinSpareServers 1\nMaxSpareServers 1\nMaxConnectionsPerChild 2\n',
  // real httpd's scoreboard readings would be connections too
  statusPoll: false,
  steps: [
    { mode: 'keepalive', n: 3, thinkMs: 50, version: '1.1' },
    { mode: 'sequential', n: 2, version: '1.0' },
  ],
  claims: [
    claim('Three requests on one connection count once: the same child serves the next connection', (r) => r.results[1].requests[0].pid === r.results[0].requests[0].pid,
      (r) => `connection 1 → ${r.results[0].requests[0].pid}, connection 2 → ${r.results[1].requests[0].pid}`),
    claim('After its second connection the child exits and a new child serves the third', (r) => {
      const a = r.results[0].requests[0].pid;
      const c = r.results[1].requests[1];
      return c.status === 200 && c.pid !== a && r.exits().some((e) => e.pid === a);
    }, (r) => `connection 3 → ${r.results[1].requests[1].pid}; exited: ${r.exits().map((e) => e.pid).join(' ') || 'none'}`),
  ],
  predict: {
    question: 'MaxConnectionsPerChild 2. One child served a keep-alive connection with 3 requests. Does it serve the next connection?',
    choices: [
      { id: 'yes', text: 'Yes: it has served one connection so far' },
      { id: 'no', text: 'No: it has served 3 requests, more than 2' },
    ],
    answer: (r) => (r.results[1].requests[0].pid === r.results[0].requests[0].pid ? 'yes' : 'no'),
  },
});
