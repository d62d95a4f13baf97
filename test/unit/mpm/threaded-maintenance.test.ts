// worker's and event's perform_idle_server_maintenance as tables: scoreboard
// (one string of thread letters per process slot) + retained state → actions.
import { describe, expect, it } from 'vitest';
import { performIdleServerMaintenance as eventMaintenance } from '../../../engine/mpm/event/maintenance.js';
import { statusFromLetter } from '../../../engine/mpm/scoreboard.js';
import { initialThreadedRetained, type ThreadedRetained, type ThreadedSlot } from '../../../engine/mpm/threaded/slots.js';
import { performIdleServerMaintenance as workerMaintenance } from '../../../engine/mpm/worker/maintenance.js';

/**
 * '__W_' a live process (pid 100+i) of generation 0; '....' an empty slot;
 * suffixes: 'q' quiescing (1), 'Q' quiescing counted (2), 'o' old generation, 'n' not accepting.
 */
function slots(...spec: string[]): ThreadedSlot[] {
  return spec.map((s, i) => {
    const letters = s.replace(/[qQon]/g, '');
    const empty = /^\.+$/.test(letters) && !/[qQon]/.test(s);
    return {
      pid: empty ? 0 : 100 + i,
      generation: s.includes('o') ? 0 : 1,
      quiescing: s.includes('Q') ? 2 : s.includes('q') ? 1 : 0,
      notAccepting: s.includes('n'),
      statuses: [...letters].map(statusFromLetter),
    };
  });
}

const TPC = 4;
const base = { daemonsLimit: 4, serverLimit: 4, threadsPerChild: TPC, minSpareThreads: 2, maxSpareThreads: 8, maxWorkers: 16, generation: 1, processCap: 64 };
const retained = (o: Partial<ThreadedRetained> = {}): ThreadedRetained => ({ ...initialThreadedRetained(), maxDaemonsLimit: 4, ...o });

describe('worker perform_idle_server_maintenance', () => {
  it.each([
    // name, slots, input overrides, retained, → kill, spawn slots, new rate
    ['enough idle: nothing, rate back to 1', ['__WW', 'WWWW', '....', '....'], {}, { idleSpawnRate: 4 }, false, [], 1],
    ['more idle than MaxSpareThreads: one child stops', ['____', '____', '___W', '....'], {}, { idleSpawnRate: 4 }, true, [], 1],
    ['exactly MaxSpareThreads idle: nothing', ['____', '____', 'WWWW', '....'], {}, {}, false, [], 1],
    ['too few idle: fork into the first empty slot, rate doubles', ['_WWW', 'WWWW', '....', '....'], {}, {}, false, [2], 2],
    ['fork min(rate, free slots)', ['WWWW', '....', '....', '....'], {}, { idleSpawnRate: 2 }, false, [1, 2], 4],
    ['rate caps at 32', ['WWWW', ...Array(40).fill('....')], { daemonsLimit: 41, serverLimit: 41, maxWorkers: 164 }, { idleSpawnRate: 32, maxDaemonsLimit: 1 }, false, Array.from({ length: 32 }, (_, i) => i + 1), 32],
    ['hold-off after a graceful restart keeps the rate', ['_WWW', '....', '....', '....'], {}, { holdOffOnExponentialSpawning: 3 }, false, [1], 1],
    ['S and dead threads of a live process count as idle', ['SS..', 'WWWW', '....', '....'], {}, {}, false, [], 1],
    ['a quiescing process is not idle; its slot can be reused', ['____q', 'W_WW', '....', '....'], { minSpareThreads: 3 }, {}, false, [2], 2],
    ['an old-generation process is not idle', ['____o', 'WWWW', '....', '....'], {}, {}, false, [2], 2],
    ['a totally free slot goes before one a quiescing process still uses', ['W...q', '....', 'WWWW', 'WWWW'], {}, { idleSpawnRate: 1 }, false, [1], 2],
    ['with room for two, the quiescing one is at the back of the bus', ['W...q', '....', 'WWWW', 'WWWW'], {}, { idleSpawnRate: 2 }, false, [1, 0], 4],
    ['slots past the lab cap are not used', ['WWWW', '....', '....', '....'], { processCap: 1 }, {}, false, [], 1],
  ] as const)('%s', (_name, sb, over, ret, kill, spawn, rate) => {
    const r = workerMaintenance({ ...base, ...over, slots: slots(...sb) }, retained(ret));
    expect(r.killOne).toBe(kill);
    expect(r.spawnSlots).toEqual(spawn);
    expect(r.retained.idleSpawnRate).toBe(rate);
  });

  it('counts idle and active threads as worker.c does', () => {
    const r = workerMaintenance({ ...base, slots: slots('_RWK', 'S___', '....', '....') }, retained());
    expect([r.idleThreadCount, r.activeThreadCount]).toEqual([5, 7]);
  });

  it('at MaxRequestWorkers: AH00286 once when nothing is idle, AH00287 once when some are', () => {
    const full = { ...base, slots: slots('WWWW', 'WWWW', 'WWWW', 'WWWW') };
    const a = workerMaintenance(full, retained());
    expect(a.logs).toEqual([{ ah: 'AH00286', level: 'error', text: 'server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting' }]);
    expect(workerMaintenance(full, a.retained).logs).toEqual([]);
    const near = workerMaintenance({ ...base, slots: slots('_WWW', 'WWWW', 'WWWW', 'WWWW') }, retained());
    expect(near.logs).toEqual([{ ah: 'AH00287', level: 'error', text: 'server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting' }]);
    expect(near.spawnSlots).toEqual([]);
  });

  it('a full scoreboard below MaxRequestWorkers says AH00288, every pass', () => {
    // the process limit was lowered to ServerLimit; MaxRequestWorkers kept its value (spec §5.3 step 6)
    const input = { ...base, maxWorkers: 40, slots: slots('WWWW', 'WWWW', 'WWWW', 'WWWW') };
    const a = workerMaintenance(input, retained());
    expect(a.logs.map((l) => [l.ah, l.text])).toEqual([['AH00288', 'scoreboard is full, not at MaxRequestWorkers']]);
    expect(workerMaintenance(input, a.retained).logs.map((l) => l.ah)).toEqual(['AH00288']);
  });

  // (worker.c's "total children" counts every slot scanned without dying threads,
  // empty ones too, up to where the scan stops: here slots 0–8)
  it('says AH00289 from rate 8 on, with the counts of this pass', () => {
    const r = workerMaintenance({ ...base, daemonsLimit: 12, serverLimit: 12, maxWorkers: 48, minSpareThreads: 40, maxSpareThreads: 48, slots: slots('____', ...Array(11).fill('....')) }, retained({ idleSpawnRate: 8 }));
    expect(r.spawnSlots).toHaveLength(8);
    expect(r.logs).toEqual([
      {
        ah: 'AH00289',
        level: 'info',
        text: 'server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), spawning 8 children, there are around 4 idle threads, and 9 total children',
      },
    ]);
  });

  it('gives up with AH02325 after a sick child, unless a child was ever healthy', () => {
    // no child has all its threads started yet
    const input = { ...base, slots: slots('SS..', '....', '....', '....') };
    const sick = workerMaintenance(input, retained({ sickChildDetected: true }));
    expect(sick.giveUp).toBe(true);
    expect(sick.logs[0]).toMatchObject({ ah: 'AH02325', level: 'alert' });
    const healthy = workerMaintenance(input, retained({ sickChildDetected: true, hadHealthyChild: true }));
    expect(healthy.giveUp).toBe(false);
    expect(healthy.retained.sickChildDetected).toBe(false);
  });
});

describe('event perform_idle_server_maintenance', () => {
  it.each([
    ['enough idle: nothing', ['__WW', 'WWWW', '....', '....'], {}, {}, false, [], 1],
    ['too many idle and nobody stopping: one child stops', ['____', '____', '___W', '....'], {}, {}, true, [], 1],
    ['too many idle but one already stopping: wait', ['____', '____', '___W', 'WWWWQ'], {}, {}, false, [], 1],
    ['… unless the scoreboard has room to spare', ['____', '____', '___W', 'WWWWQ', '....', '....', '....', '....', '....'], { serverLimit: 9 }, {}, true, [], 1],
    ['forks only into slots with no process (no squatting)', ['WWWWQ', 'WWWW', '....', '....'], {}, {}, false, [2], 2],
    ['a not-accepting process has no idle threads', ['__WWn', 'WWWW', '....', '....'], {}, {}, false, [2], 2],
    ['a stopping process does not count against the active limit: a new one goes into an extra slot', ['WWWWQ', 'WWWW', 'WWWW', 'WWWW', '....', '....'], { serverLimit: 6, daemonsLimit: 4, maxWorkers: 40 }, {}, false, [4], 2],
    ['the spawn is trimmed to the active limit', ['WWWW', 'WWWW', '....', '....', '....'], { serverLimit: 5, daemonsLimit: 3, maxWorkers: 40 }, { idleSpawnRate: 4 }, false, [2], 8],
  ] as const)('%s', (_name, sb, over, ret, kill, spawn, rate) => {
    const r = eventMaintenance({ ...base, ...over, slots: slots(...sb) }, retained(ret));
    expect(r.killOne).toBe(kill);
    expect(r.spawnSlots).toEqual(spawn);
    expect(r.retained.idleSpawnRate).toBe(rate);
  });

  it('at the active daemons limit the spawn is cancelled: rate back to 1, and the hold-off keeps it from doubling', () => {
    const r = eventMaintenance({ ...base, serverLimit: 6, daemonsLimit: 2, maxWorkers: 40, slots: slots('WWWW', 'WWWW', 'WWWWQ', '....', '....', '....') }, retained({ idleSpawnRate: 4 }));
    expect(r.spawnSlots).toEqual([]);
    // incremented, then spent by this very pass (event.c), so the rate stays 1
    expect(r.retained).toMatchObject({ idleSpawnRate: 1, holdOffOnExponentialSpawning: 0 });
    expect(r.logs).toEqual([
      {
        ah: '',
        level: 'trace1',
        src: 'event.c(3081)',
        text: 'server is at active daemons limit, spawning of 3 children cancelled: active 2/2, total 3/4/6, rate 4',
      },
    ]);
  });

  it('counts a child that started stopping once (quiescing 1 → 2), with its debug line', () => {
    const r = eventMaintenance({ ...base, slots: slots('WWWW', '____q', '____', '....') }, retained());
    expect(r.quiescingCounted).toEqual([1]);
    expect(r.logs[0]).toEqual({ ah: '', level: 'debug', src: 'event.c(2937)', text: 'Child 1 quiescing: pid 101, gen 1, active 2/4, total 3/4/4' });
    // its threads are not idle
    expect(r.idleThreadCount).toBe(4);
  });

  it('reports the stop decision at trace5, with the reason', () => {
    const stop = eventMaintenance({ ...base, slots: slots('____', '____', '___W', '....') }, retained());
    expect(stop.logs.at(-1)).toEqual({
      ah: '',
      level: 'trace5',
      src: 'event.c(3027)',
      text: 'Shutting down one child: active 3/4, total 3/4/4, idle threads 11, max workers 16',
    });
    const wait = eventMaintenance({ ...base, slots: slots('____', '____', '___W', 'WWWWQ') }, retained());
    expect(wait.logs.at(-1)?.text).toMatch(/^Not shutting down one child: active 3\/4, total 4\/4\/4/);
  });

  it('at MaxRequestWorkers: AH00484 / AH10159 once each; a full scoreboard below it: AH03490 (sic)', () => {
    const full = eventMaintenance({ ...base, slots: slots('WWWW', 'WWWW', 'WWWW', 'WWWW') }, retained());
    expect(full.logs.map((l) => [l.ah, l.text])).toEqual([['AH00484', 'server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting']]);
    expect(eventMaintenance({ ...base, slots: slots('WWWW', 'WWWW', 'WWWW', 'WWWW') }, full.retained).logs).toEqual([]);
    const near = eventMaintenance({ ...base, slots: slots('_WWW', 'WWWW', 'WWWW', 'WWWW') }, retained());
    expect(near.logs.map((l) => l.ah)).toEqual(['AH10159']);
    const sbFull = eventMaintenance({ ...base, maxWorkers: 40, daemonsLimit: 10, slots: slots('WWWW', 'WWWW', 'WWWW', 'WWWW') }, retained());
    expect(sbFull.logs.map((l) => [l.ah, l.text])).toEqual([['AH03490', 'scoreboard is full, not at MaxRequestWorkers.Increase ServerLimit.']]);
  });

  it('says AH00486 from rate 8 on, with active and stopping children', () => {
    const r = eventMaintenance(
      { ...base, serverLimit: 12, daemonsLimit: 12, maxWorkers: 48, minSpareThreads: 40, maxSpareThreads: 48, slots: slots('____', 'WWWWQ', ...Array(10).fill('....')) },
      retained({ idleSpawnRate: 8, maxDaemonsLimit: 2 }),
    );
    expect(r.spawnSlots).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.logs.at(-1)).toEqual({
      ah: 'AH00486',
      level: 'info',
      text: 'server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), spawning 8 children, there are around 4 idle threads, 1 active children, and 2 children that are shutting down',
    });
  });

  it('gives up with AH02324 after a sick child', () => {
    const r = eventMaintenance({ ...base, slots: slots('SS..', '....', '....', '....') }, retained({ sickChildDetected: true }));
    expect(r.giveUp).toBe(true);
    expect(r.logs[0]).toMatchObject({ ah: 'AH02324', level: 'alert' });
  });
});
