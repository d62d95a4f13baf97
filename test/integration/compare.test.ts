// compare.run through the lab: the same traffic against prefork and event at
// once. With few workers, prefork's kept-alive connections pin every child and
// the HTTP/1.0 burst waits in the listen backlog; event parks them and serves
// the burst at once. Both sides' numbers come from real processes.
import { afterAll, describe, expect, it } from 'vitest';
import type { CompareSummary } from '../../engine/protocol/compare.js';
import type { DriverStepResult, InstanceSummary } from '../../engine/protocol/messages.js';
import { client, startLab, stopLabs } from '../helpers/lab.js';

interface Result {
  started: number;
  ended: number;
  sides: Array<{ instance: string; tracks: DriverStepResult[][]; memory: Array<{ ts: number; ussKb: number }>; summary: CompareSummary }>;
}

describe('compare.run', () => {
  afterAll(stopLabs);

  it('prefork vs event under keep-alive clients plus a burst: every request answered, the backlog wait on prefork only', async () => {
    const t = await startLab();
    const c = await client(t);
    const a = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 4\nMinSpareServers 1\nMaxSpareServers 4\nMaxRequestWorkers 4\nKeepAliveTimeout 5\n' });
    const b = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'event', config: 'StartServers 1\nThreadsPerChild 8\nMinSpareThreads 1\nMaxSpareThreads 8\nMaxRequestWorkers 8\nKeepAliveTimeout 5\n' });
    await new Promise((r) => setTimeout(r, 1000));
    const r = await c.request<Result>({
      type: 'compare.run',
      instances: [a.id, b.id],
      tracks: [
        { steps: [{ mode: 'burst', connections: 4, requests: 2, keepalive: true, thinkMs: 1500 }] },
        { afterMs: 300, steps: [{ mode: 'burst', connections: 6, requests: 1, version: '1.0' }] },
      ],
    });
    expect(r.sides.map((s) => s.instance)).toEqual([a.id, b.id]);
    const [pre, ev] = r.sides.map((s) => s.summary);
    for (const s of [pre, ev]) {
      expect(s.served).toBe(14);
      expect(s.failed).toBe(0);
      expect(s.p50Ms).toBeGreaterThan(0);
      expect(s.p99Ms).toBeGreaterThanOrEqual(s.p50Ms!);
      expect(s.peakUssKb).toBeGreaterThan(1000);
      expect(s.backlog).not.toBeNull();
    }
    expect(pre.mpm).toBe('prefork');
    expect(ev.mpm).toBe('event');
    // prefork: the 4 kept-alive connections hold all 4 children; the burst waits until they are released (~1.2 s)
    expect(pre.peakBusy).toBe(4);
    expect(pre.peakProcesses).toBe(4);
    expect(pre.backlog!.connections).toBeGreaterThanOrEqual(1);
    expect(pre.backlog!.maxMs).toBeGreaterThan(500);
    // event: the kept-alive connections wait in the listener, not in a worker; the burst never queues behind them
    expect(ev.peakThreads).toBe(8);
    expect(ev.backlog!.maxMs).toBeLessThan(500);
    // the raw material is there for the page: per track, per step, per request
    expect(r.sides[0].tracks.map((steps) => steps.flatMap((s) => s.requests).length)).toEqual([8, 6]);
    expect(r.sides[0].memory.length).toBeGreaterThanOrEqual(2);
    expect(r.ended).toBeGreaterThan(r.started);
  }, 60_000);

  it('refuses one engine twice, an unknown engine, and tracks over the limits, by name', async () => {
    const t = await startLab();
    const c = await client(t);
    const a = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 1\n' });
    const steps = [{ mode: 'single' }];
    await expect(c.request({ type: 'compare.run', instances: [a.id, a.id], tracks: [{ steps }] })).rejects.toThrow(/two different engines/);
    await expect(c.request({ type: 'compare.run', instances: [a.id, 'zz'], tracks: [{ steps }] })).rejects.toThrow(/no engine 'zz'/);
    await expect(c.request({ type: 'compare.run', instances: [a.id, a.id], tracks: [{ steps: [{ mode: 'burst', connections: 500, requests: 1 }] }] })).rejects.toThrow(/connections/);
  }, 30_000);
});
