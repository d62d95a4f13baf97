// Lesson 12 (one Listen): on Linux no accept mutex at all — the kernel wakes the longest-waiting child.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';
import { acceptMutex } from './12-accept-serialization.experiment.js';

export default defineExperiment({
  id: 'deeper/12-accept-serialization-single',
  mpm: 'prefork',
  config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\nLogLevel debug\n',
  statusPoll: false,
  steps: [{ mode: 'sequential', n: 6, version: '1.0' }],
  claims: [
    claim('One Listen line: AH00165 says "Accept mutex: none"', (r) => acceptMutex(r) === 'none', (r) => `Accept mutex: ${acceptMutex(r)}`),
    claim('Without a mutex the kernel wakes one child per connection, the longest-waiting: the three take turns', (r) => distinct(r.requests.map((q) => q.pid)) === 3, (r) => `pids ${r.requests.map((q) => q.pid).join(' ')}`),
  ],
});
