// event's connections_above_limit as a table (spec §4.5): may this process
// accept one more connection?
import { describe, expect, it } from 'vitest';
import { acceptingAgain, connectionsAboveLimit, disabledLog, type AdmissionInput } from '../../../engine/mpm/event/admission.js';
import { asyncFactorEffective } from '../../../engine/config/check.js';

const a = (o: Partial<AdmissionInput>): AdmissionInput => ({ idleWorkers: 2, connections: 0, lingering: 0, threadsPerChild: 2, asyncFactor: 2, listeningDisabled: false, ...o });

describe('connectionsAboveLimit', () => {
  it.each([
    // name, input, → above the limit (stop accepting)
    ['no connection yet', {}, false],
    ['TPC 2, factor 2, 2 idle: 5 open, a 6th may come', { connections: 5 }, false],
    ['… 6 open: the limit 2 + 2×2 is reached', { connections: 6 }, true],
    ['no idle worker: above, whatever the count', { idleWorkers: 0, connections: 0 }, true],
    ['lingering connections do not count', { connections: 7, lingering: 2 }, false],
    ['every connection lingering: never above', { connections: 9, lingering: 9 }, false],
    ['fewer idle workers, lower limit: 1 idle → 2 + 1×2 = 4', { idleWorkers: 1, connections: 4 }, true],
    ['factor 1 (what 1.5 or 0.5 become): 2 + 2×1 = 4', { asyncFactor: 1, connections: 4 }, true],
    ['factor 1, below that', { asyncFactor: 1, connections: 3 }, false],
    ['disabled: one idle worker left out (hysteresis) → 2 + 1×2 = 4', { listeningDisabled: true, connections: 4 }, true],
    ['disabled: enabled again below that', { listeningDisabled: true, connections: 3 }, false],
    ['disabled with one idle worker: only ThreadsPerChild', { listeningDisabled: true, idleWorkers: 1, connections: 2 }, true],
  ] as const)('%s', (_name, o, above) => {
    expect(connectionsAboveLimit(a(o))).toBe(above);
  });

  it('AsyncRequestWorkerFactor acts truncated to an integer, at least 1, as the code does (×16, /16)', () => {
    expect([0.5, 1.5, 1.9, 2, 2.99, 3].map(asyncFactorEffective)).toEqual([1, 1, 1, 2, 2, 3]);
  });

  it('words its debug lines as event.c does', () => {
    expect(disabledLog(6)).toBe('Too many open connections (6), not accepting new conns in this process');
    expect(acceptingAgain(a({ connections: 3, lingering: 1, idleWorkers: 2 }))).toBe(
      'Accepting new connections again: 3 active conns (1 lingering/0 clogged/0 suspended), 2 idle workers',
    );
  });
});
