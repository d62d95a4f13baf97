// Lesson 1: the parent never serves; its children do.
import { claim, defineExperiment, distinct } from '../lib/experiment.js';

export default defineExperiment({
  id: 'basics/01-what-is-an-mpm',
  mpm: 'prefork',
  config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\n',
  steps: [{ mode: 'sequential', n: 6, version: '1.0' }],
  claims: [
    claim('The parent process never serves a request', (r) => r.served.length === 6 && r.served.every((e) => e.pid !== r.parentPid),
      (r) => `${r.served.length} served, pids ${r.served.map((e) => e.pid).join(' ')}, parent ${r.parentPid}`),
    claim('Every request is served by a child the parent started', (r) => r.served.every((e) => r.spawns().some((s) => s.pid === e.pid)),
      (r) => `served by ${r.served.map((e) => e.pid).join(' ')}; children ${r.spawns().map((s) => s.pid).join(' ')}`),
    claim('StartServers 3: three children serve', (r) => distinct(r.served.map((e) => e.pid)) === 3, (r) => `${distinct(r.served.map((e) => e.pid))} children served`),
  ],
  predict: {
    question: 'You send an HTTP/1.0 request to the server you just started. Which process answers it?',
    choices: [
      { id: 'parent', text: 'The parent process — the one you started' },
      { id: 'child', text: 'One of the children the parent started beforehand' },
      { id: 'new', text: 'A new process started for this request' },
    ],
    answer: (r) => (r.served.some((e) => e.pid === r.parentPid) ? 'parent' : r.served.every((e) => r.spawns().some((s) => s.pid === e.pid && s.ts < e.ts - e.durationMs)) ? 'child' : 'new'),
  },
});
