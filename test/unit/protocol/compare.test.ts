// summarize(): one side of a comparison from events, driver results and memory samples.
import { describe, expect, it } from 'vitest';
import { percentile, summarize, type SideInput } from '../../../engine/protocol/compare.js';
import type { EngineEvent } from '../../../engine/protocol/events.js';
import type { DriverRequestResult } from '../../../engine/protocol/messages.js';

const res = (o: Partial<DriverRequestResult>): DriverRequestResult => ({
  index: 1, connection: 1, status: 200, pid: 10, tid: 10, slot: '0.0', generation: 0, keepalive: 0, connId: null, connectionHeader: null, ms: 5, bytes: 10, error: null, ...o,
});
const ws = (ts: number, slot: number, thread: number, status: string) => ({ type: 'worker.status', ts, slot, thread, pid: 10 + slot, status }) as EngineEvent;
const side = (o: Partial<SideInput>): SideInput => ({ instance: 'a', mpm: 'prefork', backend: 'node', initialWorkers: {}, initialChildren: [], events: [], results: [], memory: [], ...o });

describe('percentile (nearest rank)', () => {
  it.each([
    [[], 50, null],
    [[7], 99, 7],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
  ])('%j p%d → %s', (xs, p, want) => expect(percentile(xs as number[], p as number)).toBe(want));
});

describe('summarize', () => {
  it('counts served and failed: no response or a 5xx fails, a 4xx is served', () => {
    const s = summarize(side({ results: [res({ ms: 1 }), res({ ms: 3, status: 404 }), res({ status: null, error: 'connection refused' }), res({ status: 503, ms: 9 })] }));
    expect([s.served, s.failed, s.p50Ms, s.p99Ms]).toEqual([3, 2, 1, 3]);
  });

  it('peak busy, threads and processes follow the changes from the initial picture', () => {
    const s = summarize(side({
      mpm: 'event',
      initialWorkers: { '0.0': '_', '0.1': '_', '1.0': '.', '1.1': '.' },
      initialChildren: [10],
      events: [
        ws(1, 0, 0, 'R'), ws(2, 0, 1, 'W'), // 2 busy
        { type: 'child.spawn', ts: 3, pid: 11, slot: 1, generation: 0 } as EngineEvent,
        ws(3, 1, 0, 'S'), ws(3, 1, 1, 'S'), // 4 threads, 2 processes
        ws(4, 0, 0, '_'), ws(4, 0, 1, 'K'), ws(4, 1, 0, 'R'), // still 2 busy (K counts)
        { type: 'child.exit', ts: 5, pid: 10, slot: 0, code: 0, signal: null, reason: 'idle-kill' } as unknown as EngineEvent,
      ],
    }));
    expect([s.peakBusy, s.peakThreads, s.peakProcesses]).toEqual([2, 4, 2]);
  });

  it('a scoreboard event replaces the picture and its busy count is a floor', () => {
    const s = summarize(side({
      events: [{ type: 'scoreboard', ts: 1, generation: 0, scoreboard: 'RRR_', processes: [0, 1, 2, 3].map((slot) => ({ slot, pid: 10 + slot, generation: 0, quiescing: false, workers: slot < 3 ? 'R' : '_' })), busy: 3, idle: 1, graceful: 0 } as EngineEvent],
    }));
    expect([s.peakBusy, s.peakThreads]).toEqual([3, 4]);
  });

  it('backlog wait: accept (conn.open) minus the client handshake; else the client time less the server time', () => {
    const s = summarize(side({
      events: [
        { type: 'conn.open', ts: 1000, connId: 'c1', pid: 10, tid: 10, slot: 0, thread: 0 } as unknown as EngineEvent,
        { type: 'conn.open', ts: 2003, connId: 'c2', pid: 10, tid: 10, slot: 0, thread: 0 } as unknown as EngineEvent,
      ],
      results: [res({ connId: 'c1', connectedAt: 400 }), res({ connId: 'c2', connectedAt: 2000 }), res({ connId: 'c1' })],
    }));
    expect(s.backlog).toEqual({ connections: 1, totalMs: 603, maxMs: 600 });
    const h = summarize(side({
      backend: 'httpd',
      events: [{ type: 'request.end', ts: 5, connId: 'h1', reqId: 1, durationMs: 2 } as unknown as EngineEvent],
      results: [res({ connId: 'h1', connectedAt: 1, ms: 52 })],
    }));
    expect(h.backlog).toEqual({ connections: 1, totalMs: 50, maxMs: 50 });
    expect(summarize(side({ results: [res({})] })).backlog).toBeNull();
  });

  it('peak memory is the largest sample, null without samples', () => {
    expect(summarize(side({ memory: [{ ts: 1, ussKb: 5 }, { ts: 2, ussKb: 9 }, { ts: 3, ussKb: 7 }] })).peakUssKb).toBe(9);
    expect(summarize(side({})).peakUssKb).toBeNull();
  });
});
