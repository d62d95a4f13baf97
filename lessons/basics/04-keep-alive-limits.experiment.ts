// Lesson 4: MaxKeepAliveRequests N allows N + 1 requests; KeepAliveTimeout closes an idle connection.
import { claim, defineExperiment } from '../lib/experiment.js';

const heads = (raw: string | undefined) => [...(raw ?? '').matchAll(/HTTP\/1\.1 \d{3}[^]*?\r\n\r\n/g)].map((m) => m[0]);
const closeAt = (raw: string | undefined) => heads(raw).findIndex((h) => /\r\nConnection: close/i.test(h)) + 1;

export default defineExperiment({
  id: 'basics/04-keep-alive-limits',
  mpm: 'prefork',
  config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\nKeepAlive On\nMaxKeepAliveRequests 3\nKeepAliveTimeout 1\n',
  steps: [
    { mode: 'raw', data: 'GET / HTTP/1.1\r\nHost: lab\r\n\r\n'.repeat(6), waitMs: 2000 },
    { mode: 'keepalive', n: 2, thinkMs: 2000, version: '1.1' },
  ],
  claims: [
    claim('MaxKeepAliveRequests 3: the connection carries 4 requests, and the 4th response says Connection: close', (r) => heads(r.results[0].raw).length === 4 && closeAt(r.results[0].raw) === 4,
      (r) => `${heads(r.results[0].raw).length} responses, Connection: close on #${closeAt(r.results[0].raw)}`),
    claim('KeepAliveTimeout 1: after 2 s of silence the server has closed the connection', (r) => r.results[1].requests[0].status === 200 && r.results[1].requests[1].status === null && /closed/.test(r.results[1].requests[1].error ?? ''),
      (r) => `second request: ${r.results[1].requests[1].status ?? r.results[1].requests[1].error}`),
    claim('%k of the closing response is 3', (r) => r.served.some((e) => e.keepalive === 3 && e.connStatus === '-'), (r) => `%k/%X ${r.served.map((e) => `${e.keepalive}${e.connStatus}`).join(' ')}`),
  ],
  predict: {
    question: 'MaxKeepAliveRequests is 3. A client writes 6 requests on one connection. How many responses does it get?',
    choices: [
      { id: '3', text: '3' },
      { id: '4', text: '4' },
      { id: '6', text: '6' },
    ],
    answer: (r) => String(heads(r.results[0].raw).length),
  },
  solution: {
    task: 'Change one directive so that the six requests written on one connection all get a response.',
    config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\nKeepAlive On\nMaxKeepAliveRequests 5\nKeepAliveTimeout 1\n',
    solved: (r) => (heads(r.results[0].raw).length === 6 ? null : `${heads(r.results[0].raw).length} responses`),
  },
});
