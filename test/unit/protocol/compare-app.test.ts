// summarize() with an application behind /app/: who ran it (X-App-Pid), how many application
// processes were alive at once, the pool's listen queue and "max children reached" — under
// PHP-FPM from the pool's events, under mod_php the MPM's own children.
import { describe, expect, it } from 'vitest';
import { COMPARE_APP_SIDES, COMPARE_PRESETS, summarize, type SideInput } from '../../../engine/protocol/compare.js';
import type { EngineEvent } from '../../../engine/protocol/events.js';
import { AppSpec, CompareTrack, type DriverRequestResult } from '../../../engine/protocol/messages.js';

const res = (o: Partial<DriverRequestResult>): DriverRequestResult => ({
  index: 1, connection: 1, status: 200, pid: 10, tid: 10, slot: '0.0', generation: 0, keepalive: 0, connId: null, connectionHeader: null, ms: 5, bytes: 10, error: null, ...o,
});
const side = (o: Partial<SideInput>): SideInput => ({ instance: 'a', mpm: 'event', backend: 'node', initialWorkers: {}, initialChildren: [], events: [], results: [], memory: [], ...o });
const spawn = (ts: number, pid: number) => ({ type: 'pool.spawn', ts, pool: 'www', pid }) as EngineEvent;
const exit = (ts: number, pid: number) => ({ type: 'pool.exit', ts, pool: 'www', pid, reason: 'idle' }) as EngineEvent;
const status = (ts: number, idle: number, active: number, listenQueue: number, maxChildrenReached: number) =>
  ({ type: 'pool.status', ts, pool: 'www', pm: 'dynamic', idle, active, listenQueue, maxChildrenReached }) as EngineEvent;
const poolReq = (ts: number, pid: number) => ({ type: 'pool.request', ts, pool: 'www', pid, method: 'GET', uri: '/app/', durationMs: 1 }) as EngineEvent;

describe('summarize: the application side', () => {
  it('no application: app is null', () => {
    expect(summarize(side({ results: [res({})] })).app).toBeNull();
  });

  it.each<[string, Partial<SideInput>, { peakProcesses: number; peakListenQueue: number | null; maxChildrenReached: number | null }]>([
    ['the pool as it was when the run began counts', { initialPool: [100, 101], events: [] }, { peakProcesses: 2, peakListenQueue: null, maxChildrenReached: 0 }],
    ['spawns add, exits remove: the peak is the most alive at once', { initialPool: [100], events: [spawn(1, 101), spawn(2, 102), exit(3, 100), spawn(4, 103)] }, { peakProcesses: 3, peakListenQueue: null, maxChildrenReached: 0 }],
    ['the status page (idle + active) is a floor for the peak; its listen queue at its longest', { initialPool: [], events: [status(1, 1, 3, 0, 0), status(2, 0, 4, 5, 1), status(3, 2, 2, 1, 1)] }, { peakProcesses: 4, peakListenQueue: 5, maxChildrenReached: 1 }],
    ['"max children reached" counts from where it stood when the run began', { initialPool: [100, 101], initialMaxChildrenReached: 3, events: [status(1, 0, 2, 2, 3), status(2, 0, 2, 2, 5)] }, { peakProcesses: 2, peakListenQueue: 2, maxChildrenReached: 2 }],
    ['a process seen serving is alive even if its spawn came before we watched', { events: [poolReq(1, 100), poolReq(2, 101)] }, { peakProcesses: 2, peakListenQueue: null, maxChildrenReached: 0 }],
  ])('fpm: %s', (_, o, want) => {
    const s = summarize(side({ app: 'fpm', ...o }));
    expect(s.app).toMatchObject({ mode: 'fpm', ...want });
  });

  it('fpm: requests and processes used come from X-App-Pid (a response without one did not reach the application)', () => {
    const s = summarize(side({
      app: 'fpm',
      results: [res({ appPid: 100 }), res({ appPid: 101 }), res({ appPid: 100 }), res({ appPid: null, status: 404 }), res({ status: null, error: 'reset' })],
    }));
    expect(s.app).toMatchObject({ requests: 3, processesUsed: 2 });
  });

  it('mod_php: the application processes are the MPM children — as many as the MPM had at its peak; no pool, no queue, nothing reached', () => {
    const s = summarize(side({
      mpm: 'prefork',
      app: 'mod_php',
      initialChildren: [10, 11],
      events: [{ type: 'child.spawn', ts: 1, pid: 12, slot: 2, generation: 0 } as EngineEvent, { type: 'child.spawn', ts: 2, pid: 13, slot: 3, generation: 0 } as EngineEvent],
      results: [res({ pid: 10, appPid: 10 }), res({ pid: 12, appPid: 12 }), res({ pid: 13, appPid: 13 })],
    }));
    expect(s.peakProcesses).toBe(4);
    expect(s.app).toEqual({ mode: 'mod_php', requests: 3, processesUsed: 3, peakProcesses: 4, peakListenQueue: null, maxChildrenReached: null });
  });
});

describe('the PHP comparison preset', () => {
  const php = COMPARE_PRESETS.find((p) => p.id === 'php')!;
  it('is offered, with its tracks valid for compare.run: keep-alive clients with think time and a burst, all to /app/', () => {
    expect(php).toBeDefined();
    const tracks = php.tracks.map((t) => CompareTrack.parse(t));
    expect(tracks.flatMap((t) => t.steps).every((s) => 'path' in s && s.path.startsWith('/app/'))).toBe(true);
    expect(tracks.some((t) => t.steps.some((s) => s.mode === 'burst' && s.keepalive && s.thinkMs > 0))).toBe(true);
  });
  it('pairs prefork + mod_php with event + a PHP-FPM pool', () => {
    expect(php.sides).toBe(COMPARE_APP_SIDES);
    expect(COMPARE_APP_SIDES.map((s) => [s.mpm, s.app?.mode])).toEqual([['prefork', 'mod_php'], ['event', 'fpm']]);
    for (const s of COMPARE_APP_SIDES) expect(AppSpec.safeParse(s.app).success).toBe(true);
  });
});
