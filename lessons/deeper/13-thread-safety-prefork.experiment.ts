// Lesson 13 (prefork): the same library is safe when each process serves one request at a time.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';
import { counterRead } from './13-thread-safety.experiment.js';

export default defineExperiment({
  id: 'deeper/13-thread-safety-prefork',
  mpm: 'prefork',
  config: 'StartServers 1\nMinSpareServers 1\nMaxSpareServers 1\nMaxRequestWorkers 1\n',
  steps: [
    { mode: 'burst', connections: 8, requests: 1, path: '/counter?ms=300' },
    { mode: 'raw', data: 'GET /counter?read=1 HTTP/1.0\r\n\r\n', waitMs: 2000 },
  ],
  claims: [
    claim('One child serves all 8, one at a time', (r) => r.results[0].requests.every((q) => q.status === 200) && distinct(r.results[0].requests.map((q) => q.pid)) === 1,
      (r) => r.results[0].requests.map((q) => `${q.status ?? q.error} from ${q.pid}`).join('; ')),
    claim('No increment is lost: the counter reads 8', (r) => counterRead(r) === 8, (r) => `counter ${counterRead(r)}`),
  ],
});
