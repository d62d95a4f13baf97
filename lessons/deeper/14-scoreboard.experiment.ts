// Lesson 14: the scoreboard letters and server-status?auto.
import { claim, defineExperiment } from '../lib/experiment.js';

const field = (raw: string | undefined, name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(raw ?? '')?.[1]?.trim() ?? null;
const board = (raw: string | undefined) => field(raw, 'Scoreboard') ?? '';

export default defineExperiment({
  id: 'deeper/14-scoreboard',
  mpm: 'prefork',
  config: 'StartServers 4\nMinSpareServers 1\nMaxSpareServers 5\nExtendedStatus On\n',
  steps: [
    {
      together: [
        { step: { mode: 'burst', connections: 2, requests: 1, path: '/sleep?ms=2000' } },
        { afterMs: 700, step: { mode: 'raw', data: 'GET /server-status?auto HTTP/1.0\r\n\r\n', waitMs: 2000 } },
      ],
    },
  ],
  claims: [
    claim('server-status?auto names the MPM: ServerMPM: prefork', (r) => field(r.results[1].raw, 'ServerMPM') === 'prefork', (r) => `ServerMPM: ${field(r.results[1].raw, 'ServerMPM')}`),
    claim('BusyWorkers counts the two sleeping requests and the status request itself: 3', (r) => field(r.results[1].raw, 'BusyWorkers') === '3', (r) => `BusyWorkers: ${field(r.results[1].raw, 'BusyWorkers')}`),
    claim('The Scoreboard line has one letter per slot: 3 W (sending reply), the other children _ (waiting), then . (open slots)', (r) => {
      const b = board(r.results[1].raw);
      return (b.match(/W/g) ?? []).length === 3 && /^[W_]{4}\.+$/.test(b) && (b.match(/_/g) ?? []).length === Number(field(r.results[1].raw, 'IdleWorkers'));
    }, (r) => `Scoreboard: ${board(r.results[1].raw).slice(0, 20)}…, IdleWorkers: ${field(r.results[1].raw, 'IdleWorkers')}`),
  ],
  predict: {
    question: 'Four children, two of them busy with slow requests. You fetch /server-status?auto. What does BusyWorkers say?',
    choices: [
      { id: '2', text: '2' },
      { id: '3', text: '3' },
      { id: '4', text: '4' },
    ],
    answer: (r) => field(r.results[1].raw, 'BusyWorkers') ?? '?',
  },
});
