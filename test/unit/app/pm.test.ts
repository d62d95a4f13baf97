// PHP-FPM's process manager (fpm_process_ctl.c) as tables: dynamic's spare
// servers with the doubling spawn rate, its max_children warning once per
// episode, ondemand's fork-on-accept and idle timeout, static's fixed size.
import { describe, expect, it } from 'vitest';
import { childrenAtStart, initialPmState, onSocketAccept, performIdleServerMaintenance, type PmState, type PoolChild } from '../../../engine/app/pm.js';
import type { PoolConfig } from '../../../engine/app/pool-config.js';

const cfg = (o: Partial<PoolConfig>): PoolConfig => ({ name: 'www', pm: 'dynamic', maxChildren: 10, startServers: 2, minSpareServers: 2, maxSpareServers: 4, maxSpawnRate: 32, processIdleTimeoutS: 10, maxRequests: 0, listenBacklog: 511, statusPath: null, ...o });
/** n children: the first `idle` of them idle; started and last active at their index (s) */
const kids = (n: number, idle: number): PoolChild[] => Array.from({ length: n }, (_, i) => ({ pid: 100 + i, started: i * 1000, idle: i < idle, lastActivity: i * 1000 }));

describe('childrenAtStart', () => {
  it.each([
    ['static', 10],
    ['dynamic', 2],
    ['ondemand', 0],
  ] as const)('%s → %d', (pm, n) => expect(childrenAtStart(cfg({ pm }))).toBe(n));
});

describe('dynamic maintenance', () => {
  it.each([
    // running, idle, rate → spawn, kill, next rate
    [4, 2, 1, 0, null, 1], // within the spares: rate resets
    [6, 5, 4, 0, 100, 1], // too many idle: stop the oldest idle (started first), rate resets
    [4, 0, 1, 1, null, 2], // too few: min(rate, min - idle, max - running)
    [4, 0, 2, 2, null, 4],
    [4, 0, 8, 2, null, 16],
    [9, 0, 8, 1, null, 16], // max_children leaves room for one
    [4, 1, 32, 1, null, 32], // the rate stops at pm.max_spawn_rate
  ])('%d running, %d idle, rate %d → spawn %d, kill %s, rate %d', (running, idle, rate, spawn, kill, next) => {
    const d = performIdleServerMaintenance(cfg({}), { ...initialPmState(), idleSpawnRate: rate }, kids(running, idle), 0);
    expect([d.spawn, d.kill, d.state.idleSpawnRate]).toEqual([spawn, kill, next]);
  });

  it('1, 2, 4, 8 under a sustained shortage, "seems busy" from 8 on', () => {
    const c = cfg({ maxChildren: 100, minSpareServers: 20, maxSpareServers: 30 });
    let st: PmState = initialPmState();
    const spawned: number[] = [];
    const busy: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const d = performIdleServerMaintenance(c, st, kids(10, 0), 0);
      spawned.push(d.spawn);
      busy.push(d.logs.some((l) => /seems busy/.test(l.text)));
      st = d.state;
    }
    expect(spawned).toEqual([1, 2, 4, 8, 16]);
    expect(busy).toEqual([false, false, false, true, true]);
  });

  it('at pm.max_children: one warning and one "max children reached" per episode', () => {
    const c = cfg({ maxChildren: 4 });
    let st = initialPmState();
    const warnings: string[] = [];
    for (const [running, idle] of [[4, 0], [4, 0], [4, 3], [4, 0]]) {
      const d = performIdleServerMaintenance(c, st, kids(running, idle), 0);
      warnings.push(...d.logs.map((l) => l.text));
      st = d.state;
    }
    // the third pass (enough idle) does not clear the flag: only a successful spawn does
    expect(warnings).toEqual(['[pool www] server reached pm.max_children setting (4), consider raising it']);
    expect(st.maxChildrenReached).toBe(1);
    const spawned = performIdleServerMaintenance(cfg({ maxChildren: 8 }), st, kids(4, 0), 0);
    expect(spawned.state.warnMaxChildren).toBe(false);
  });
});

describe('ondemand', () => {
  const c = cfg({ pm: 'ondemand', maxChildren: 3, processIdleTimeoutS: 10 });

  it.each([
    [0, 0, 1], // nobody: fork one
    [2, 1, 0], // an idle child takes it
    [2, 0, 1],
    [3, 0, 0], // at max_children: no fork, a warning
  ])('accept with %d running, %d idle → spawn %d', (running, idle, spawn) => {
    expect(onSocketAccept(c, initialPmState(), kids(running, idle)).spawn).toBe(spawn);
  });

  it('at max_children: its own wording ("max_children"), counted once until a fork succeeds', () => {
    const a = onSocketAccept(c, initialPmState(), kids(3, 0));
    expect(a.logs.map((l) => l.text)).toEqual(['[pool www] server reached max_children setting (3), consider raising it']);
    const b = onSocketAccept(c, a.state, kids(3, 0));
    expect([b.logs.length, b.state.maxChildrenReached]).toEqual([0, 1]);
  });

  it.each([
    [10_999, null], // idle 10.999 s: in whole seconds 10 < 10 is false
    [12_000, 100], // the oldest idle child, idle for more than pm.process_idle_timeout
  ])('maintenance at %d ms → stop %s', (now, kill) => {
    expect(performIdleServerMaintenance(c, initialPmState(), kids(2, 2), now).kill).toBe(kill);
  });
});

describe('static', () => {
  it('never spawns or stops in maintenance', () => {
    expect(performIdleServerMaintenance(cfg({ pm: 'static' }), initialPmState(), kids(2, 0), 0)).toMatchObject({ spawn: 0, kill: null });
  });
});
