// Lesson 12: two Listen lines bring the accept mutex; the longest-waiting idle child still wins.
import { claim, defineExperiment, distinct, type Run } from '../lib/experiment.js';

/** "pthread", "none"…: what AH00165 said */
export function acceptMutex(r: Run): string | null {
  for (const l of r.log) {
    const m = /AH00165: Accept mutex: (\S+)/.exec(l);
    if (m) return m[1];
  }
  return null;
}

const listening = (r: Run) => {
  const s = r.events.find((e) => e.type === 'engine.state' && e.state === 'running');
  return s?.type === 'engine.state' ? s.listen.length : 0;
};

export default defineExperiment({
  id: 'deeper/12-accept-serialization',
  mpm: 'prefork',
  // the lab puts each Listen line on its own free loopback port
  config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\nLogLevel debug\nListen 80\nListen 443\n',
  statusPoll: false,
  steps: [{ mode: 'sequential', n: 6, version: '1.0' }],
  claims: [
    claim('Two Listen lines: the server listens on two sockets', (r) => listening(r) === 2, (r) => `${listening(r)} listening sockets`),
    claim('AH00165 says the children serialize accept with a mutex: "Accept mutex: pthread"', (r) => acceptMutex(r) === 'pthread', (r) => `Accept mutex: ${acceptMutex(r)}`),
    claim('The idle children still take turns: six requests are shared by all three', (r) => distinct(r.requests.map((q) => q.pid)) === 3, (r) => `pids ${r.requests.map((q) => q.pid).join(' ')}`),
  ],
  predict: {
    question: 'prefork on Linux with two Listen lines. At LogLevel debug, what does AH00165 say about the accept mutex?',
    choices: [
      { id: 'none', text: '"Accept mutex: none" — the kernel wakes one child anyway' },
      { id: 'pthread', text: '"Accept mutex: pthread" — one child at a time waits on the sockets' },
    ],
    answer: (r) => (acceptMutex(r) === 'none' ? 'none' : 'pthread'),
  },
});
