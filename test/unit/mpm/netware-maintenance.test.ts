// netware's perform_idle_server_maintenance as a table: the one process's thread
// entries (a string of letters) + retained state → the thread to mark I, entries to start.
import { describe, expect, it } from 'vitest';
import { initialNetwareRetained, performIdleServerMaintenance, type NetwareRetained } from '../../../engine/mpm/netware/maintenance.js';
import { statusFromLetter } from '../../../engine/mpm/scoreboard.js';

const board = (s: string) => [...s].map(statusFromLetter);
const retained = (o: Partial<NetwareRetained> = {}): NetwareRetained => ({ ...initialNetwareRetained(), maxWorkersLimit: 8, ...o });

describe('netware perform_idle_server_maintenance', () => {
  it.each([
    // name, threads, min, max, retained → idle-kill entry, spawn entries, new rate
    ['enough idle: nothing, rate back to 1', '__WW....', 2, 4, { idleSpawnRate: 4 }, -1, [], 1],
    ['too many idle: the LAST live thread is marked, not an idle one', '_____W..', 1, 4, {}, 5, [], 1],
    ['a thread already marked I is not counted (else 4 idle > 3)', '___I....', 1, 3, {}, -1, [], 1],
    ['too few idle: start rate threads in the lowest dead entries', '_WW.W...', 2, 4, { idleSpawnRate: 2 }, -1, [3, 5], 4],
    ['starting threads count as idle', 'SS......', 2, 4, {}, -1, [], 1],
    ['the rate doubles up to 64 (not 32)', 'W'.padEnd(80, '.'), 70, 80, { idleSpawnRate: 64, maxWorkersLimit: 1 }, -1, Array.from({ length: 64 }, (_, i) => i + 1), 64],
  ] as const)('%s', (_n, threads, min, max, ret, kill, spawn, rate) => {
    const r = performIdleServerMaintenance({ statuses: board(threads), minSpareThreads: min, maxSpareThreads: max }, retained(ret));
    expect(r.idleKill).toBe(kill);
    expect(r.spawn).toEqual(spawn);
    expect(r.retained.idleSpawnRate).toBe(rate);
  });

  it('no dead entry left: AH00220 once (prefork\'s wording)', () => {
    const input = { statuses: board('WWWW'), minSpareThreads: 1, maxSpareThreads: 4 };
    const a = performIdleServerMaintenance(input, retained({ maxWorkersLimit: 4 }));
    expect(a.logs).toEqual([{ ah: 'AH00220', level: 'error', text: 'server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting' }]);
    expect(performIdleServerMaintenance(input, a.retained).logs).toEqual([]);
  });

  it('from rate 8 says AH00221, with the rate as the number spawned (sic)', () => {
    const r = performIdleServerMaintenance({ statuses: board('__W'.padEnd(6, '.')), minSpareThreads: 20, maxSpareThreads: 30 }, retained({ idleSpawnRate: 8, maxWorkersLimit: 3 }));
    expect(r.spawn).toEqual([3, 4, 5]);
    expect(r.logs).toEqual([
      { ah: 'AH00221', level: 'info', text: 'server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning 8 children, there are 2 idle, and 3 total children' },
    ]);
  });
});
