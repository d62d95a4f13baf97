// ap_reclaim_child_processes' escalation schedule, on a fake clock.
import { describe, expect, it } from 'vitest';
import { reclaimChildProcesses, type ReclaimLog } from '../../../engine/mpm/common/reclaim.js';

function run(terminate: boolean, exitsAfterMs: number | null, signalsKill = true) {
  let now = 0;
  const sent: Array<[number, string]> = [];
  const logs: ReclaimLog[] = [];
  let alive = true;
  const target = {
    pid: 42,
    alive: () => alive && (exitsAfterMs === null || now < exitsAfterMs),
    kill: (s: NodeJS.Signals) => {
      sent.push([now, s]);
      if (s === 'SIGKILL' && signalsKill) alive = false;
    },
  };
  const done = reclaimChildProcesses(
    () => [target],
    terminate,
    (l) => logs.push(l),
    async (ms) => {
      now += ms;
    },
    () => now,
  );
  return done.then(() => ({ sent, logs, now }));
}

describe('reclaimChildProcesses', () => {
  it('stop: TERM at once (no log), TERM at 3/5/7 s with AH00045, KILL at 9 s with AH00046', async () => {
    const { sent, logs } = await run(true, null);
    expect(sent.map(([t, s]) => [Math.floor(t / 1000), s])).toEqual([
      [0, 'SIGTERM'],
      [3, 'SIGTERM'],
      [5, 'SIGTERM'],
      [7, 'SIGTERM'],
      [9, 'SIGKILL'],
    ]);
    expect(logs.map((l) => l.ah)).toEqual(['AH00045', 'AH00045', 'AH00045', 'AH00046']);
    expect(logs[0].text).toBe('child process 42 still did not exit, sending a SIGTERM');
    expect(logs[3].text).toBe('child process 42 still did not exit, sending a SIGKILL');
  });

  it('hard restart (terminate = false) skips the silent first TERM', async () => {
    const { sent } = await run(false, null);
    expect(sent[0]).toEqual([expect.any(Number), 'SIGTERM']);
    expect(sent[0][0]).toBeGreaterThanOrEqual(3000);
  });

  it('gives up at 10 s with AH00047 when even KILL does not help', async () => {
    const { logs } = await run(true, null, false);
    expect(logs.at(-1)).toEqual({ level: 'error', ah: 'AH00047', text: 'could not make child process 42 exit, attempting to continue anyway' });
  });

  it('stops as soon as the child is gone', async () => {
    const { sent, logs, now } = await run(true, 100);
    expect(sent).toEqual([[0, 'SIGTERM']]);
    expect(logs).toEqual([]);
    expect(now).toBeLessThan(1500);
  });
});
