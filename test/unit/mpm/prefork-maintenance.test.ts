// perform_idle_server_maintenance as a table: scoreboard + retained state → actions.
import { describe, expect, it } from 'vitest';
import { initialRetained, performIdleServerMaintenance, type PreforkRetained } from '../../../engine/mpm/prefork/maintenance.js';
import { statusFromLetter } from '../../../engine/mpm/scoreboard.js';

const board = (s: string) => [...s].map(statusFromLetter);
const retained = (o: Partial<PreforkRetained> = {}): PreforkRetained => ({ ...initialRetained(), maxDaemonsLimit: 16, ...o });
const base = { daemonsLimit: 8, minSpareServers: 2, maxSpareServers: 4, processCap: 64 };

describe('performIdleServerMaintenance', () => {
  it.each([
    // name, scoreboard, input overrides, retained, → kill, spawn slots, new rate
    ['enough idle: nothing, rate back to 1', '__W.....', {}, { idleSpawnRate: 4 }, false, [], 1],
    ['too many idle: kill exactly one, rate 1', '_____...', {}, { idleSpawnRate: 8 }, true, [], 1],
    ['starting children count as idle', 'SS_W....', {}, {}, false, [], 1],
    ['one idle short: fork into the lowest dead slot, rate doubles', 'W_W.W...', {}, {}, false, [3], 2],
    ['fork min(rate, free slots), not the deficit', 'W.W.W...', {}, { idleSpawnRate: 2 }, false, [1, 3], 4],
    ['rate 4 with only 2 dead slots', 'WWWW..WW', {}, { idleSpawnRate: 4 }, false, [4, 5], 8],
    ['rate caps at 32', 'W' + '.'.repeat(63), { daemonsLimit: 64 }, { idleSpawnRate: 32 }, false, Array.from({ length: 32 }, (_, i) => i + 1), 32],
    ['hold-off after a graceful restart keeps the rate', 'W_......', {}, { idleSpawnRate: 1, holdOffOnExponentialSpawning: 10 }, false, [2], 1],
    ['G, K, L, C, R children are busy (not idle)', 'GKLCR...', { minSpareServers: 1 }, {}, false, [5], 2],
    ['MaxSpareServers counts exactly: 4 idle of max 4 stays', '____....', {}, {}, false, [], 1],
    ['no free slot: AH00161, rate 1', 'WWWWWWWW', {}, { idleSpawnRate: 4 }, false, [], 1],
    ['slots past the lab cap are not free', 'WW......', { processCap: 2 }, {}, false, [], 1],
  ])('%s', (_name, sb, over, ret, kill, spawn, rate) => {
    const r = performIdleServerMaintenance({ ...base, ...over, statuses: board(sb) }, retained(ret));
    expect(r.killOne).toBe(kill);
    expect(r.spawnSlots).toEqual(spawn);
    expect(r.retained.idleSpawnRate).toBe(rate);
  });

  it('logs AH00161 only once per parent lifetime', () => {
    const input = { ...base, statuses: board('WWWWWWWW') };
    const a = performIdleServerMaintenance(input, retained());
    expect(a.logs).toEqual([{ ah: 'AH00161', level: 'error', text: 'server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting' }]);
    const b = performIdleServerMaintenance(input, a.retained);
    expect(b.logs).toEqual([]);
    expect(b.retained.maxclientsReported).toBe(true);
  });

  it('AH00161 can fire while some children are still idle', () => {
    const r = performIdleServerMaintenance({ ...base, minSpareServers: 3, statuses: board('__WWWWWW') }, retained());
    expect(r.logs.map((l) => l.ah)).toEqual(['AH00161']);
  });

  it('reports the lab cap, not AH00161, when the cap is what is full', () => {
    const r = performIdleServerMaintenance({ ...base, processCap: 2, statuses: board('WW......') }, retained());
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0].ah).toBe('');
    expect(r.logs[0].text).toMatch(/process cap of 2 \(--max-processes\) before MaxRequestWorkers 8/);
  });

  it('logs AH00162 when spawning at rate ≥ 8 with the counts httpd prints', () => {
    const r = performIdleServerMaintenance({ ...base, daemonsLimit: 32, minSpareServers: 20, maxSpareServers: 30, statuses: board('_W' + '.'.repeat(30)) }, retained({ idleSpawnRate: 8 }));
    expect(r.spawnSlots).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.logs).toEqual([
      {
        ah: 'AH00162',
        level: 'info',
        text: 'server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning 8 children, there are 1 idle, and 2 total children',
      },
    ]);
  });

  it('a sustained shortage spawns 1, 2, 4, 8, 16, 32, 32 per pass', () => {
    let ret = retained({ maxDaemonsLimit: 0 });
    let sb = 'W' + '.'.repeat(199);
    const counts: number[] = [];
    for (let pass = 0; pass < 7; pass++) {
      const r = performIdleServerMaintenance({ daemonsLimit: 200, minSpareServers: 150, maxSpareServers: 160, processCap: 1000, statuses: board(sb) }, ret);
      counts.push(r.spawnSlots.length);
      ret = { ...r.retained, maxDaemonsLimit: Math.max(r.retained.maxDaemonsLimit, ...r.spawnSlots.map((s) => s + 1)) };
      // new children are busy by the next pass, so the shortage persists
      const arr = [...sb];
      for (const s of r.spawnSlots) arr[s] = 'W';
      sb = arr.join('');
    }
    expect(counts).toEqual([1, 2, 4, 8, 16, 32, 32]);
  });

  it('scans only up to the highest live slot once rate free slots are found', () => {
    const r = performIdleServerMaintenance({ ...base, statuses: board('W.W.....') }, retained({ maxDaemonsLimit: 3, idleSpawnRate: 1 }));
    expect(r.spawnSlots).toEqual([1]);
    expect(r.retained.maxDaemonsLimit).toBe(3);
  });
});
