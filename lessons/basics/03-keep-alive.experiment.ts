// Lesson 3: a keep-alive connection stays on one child; HTTP/1.0 must ask for it.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

const ASKED = 'GET /static/hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /static/hello.txt HTTP/1.0\r\n\r\n';
const PLAIN = 'GET /static/hello.txt HTTP/1.0\r\n\r\nGET /static/hello.txt HTTP/1.0\r\n\r\n';
const responses = (raw: string | undefined) => (raw?.match(/^HTTP\/1\.1 200/gm) ?? []).length;

export default defineExperiment({
  id: 'basics/03-keep-alive',
  mpm: 'prefork',
  config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\nKeepAlive On\nKeepAliveTimeout 5\n',
  steps: [
    { mode: 'keepalive', n: 4, thinkMs: 200, version: '1.1' },
    { mode: 'raw', data: ASKED, waitMs: 1500 },
    { mode: 'raw', data: PLAIN, waitMs: 1500 },
  ],
  claims: [
    claim('All requests on one keep-alive connection are served by the same child', (r) => r.results[0].requests.every((q) => q.status === 200) && distinct(r.results[0].requests.map((q) => q.pid)) === 1,
      (r) => `pids ${r.results[0].requests.map((q) => q.pid).join(' ')}`),
    claim('%k counts the requests already served on the connection: 0, 1, 2, 3', (r) => {
      const conn = r.results[0].requests[0].connId;
      return r.served.filter((e) => e.connId === conn).map((e) => e.keepalive).join(',') === '0,1,2,3';
    }, (r) => `%k ${r.served.map((e) => `${e.connId}:${e.keepalive}`).join(' ')}`),
    claim('HTTP/1.0 asking with Connection: keep-alive gets both responses on one connection', (r) => responses(r.results[1].raw) === 2,
      (r) => `${responses(r.results[1].raw)} responses`),
    claim('HTTP/1.0 without asking gets one response, then the server closes', (r) => responses(r.results[2].raw) === 1 && r.results[2].closedByServer === true,
      (r) => `${responses(r.results[2].raw)} responses, closed by server: ${r.results[2].closedByServer}`),
  ],
  predict: {
    question: 'Four requests travel on one HTTP/1.1 keep-alive connection, 200 ms apart, with three idle children. How many different children serve them?',
    choices: [
      { id: 'one', text: 'One: the connection stays with the child that accepted it' },
      { id: 'three', text: 'Three: they rotate over the idle children' },
      { id: 'four', text: 'Four: a new child for each request' },
    ],
    answer: (r) => ({ 1: 'one', 3: 'three', 4: 'four' })[distinct(r.results[0].requests.map((q) => q.pid))] ?? 'three',
  },
});
