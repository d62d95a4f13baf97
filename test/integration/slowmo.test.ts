// Slow motion through the lab: a request on MPM Lab's engine stays PHASE × f in
// R and again in W (the worker.status events say so), for prefork and for a
// thread of event, for engines running and engines started later; ×1 is real
// time again; real httpd is never slowed, and says so.
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/protocol/events.js';
import type { DriverStepResult, InstanceSummary, ServerMessage } from '../../engine/protocol/messages.js';
import { HTTPD } from '../helpers/httpd.js';
import { client, startLab, stopLabs, type TestClient } from '../helpers/lab.js';

const one = async (c: TestClient, instance: string) => (await c.request<DriverStepResult[]>({ type: 'drive', instance, steps: [{ mode: 'single' }] }))[0].requests[0];

/** The R → W → _ times of the worker that served connection connId, from the stream. */
function phases(c: TestClient, instance: string, connId: string): { r: number; w: number; ready: number } {
  const events = c.messages.flatMap((m: ServerMessage) => (m.type === 'events' && m.instance === instance ? m.events : [])) as EngineEvent[];
  const open = events.find((e) => e.type === 'conn.open' && e.connId === connId) as Extract<EngineEvent, { type: 'conn.open' }> | undefined;
  if (!open) return { r: NaN, w: NaN, ready: NaN };
  const mine = events.filter((e): e is Extract<EngineEvent, { type: 'worker.status' }> => e.type === 'worker.status' && e.slot === open.slot && e.thread === open.thread && e.ts >= open.ts - 1);
  const at = (l: string) => mine.find((e) => e.status === l)?.ts ?? NaN;
  return { r: at('R'), w: at('W'), ready: mine.find((e) => e.status === '_' && e.ts > at('W'))?.ts ?? NaN };
}

describe('slow motion', () => {
  afterAll(stopLabs);

  it('×25 holds a request 500 ms in R and 500 ms in W, on prefork and on an event thread; ×1 is real time again', async () => {
    const t = await startLab();
    const c = await client(t);
    const pre = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 2\n' });
    const fast = await one(c, pre.id);
    expect(fast.ms).toBeLessThan(400);
    const r = await c.request<{ slowmo: number; notSlowed: string[] }>({ type: 'lab.slowmo', factor: 25 });
    expect(r).toMatchObject({ slowmo: 25, notSlowed: [] });
    await c.next((m) => m.type === 'lab.settings' && m.slowmo === 25);
    // an engine started while slow motion is on is slowed too
    const ev = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'event', config: 'StartServers 1\nThreadsPerChild 4\nMinSpareThreads 1\nMaxSpareThreads 4\n' });
    for (const inst of [pre, ev]) {
      const q = await one(c, inst.id);
      expect(q.status).toBe(200);
      expect(q.ms).toBeGreaterThan(950);
      // the worker's return to _ is reported after the response: wait for it in the stream
      await expect.poll(() => phases(c, inst.id, q.connId!).ready, { timeout: 5000 }).toBeGreaterThan(0);
      const p = phases(c, inst.id, q.connId!);
      expect(p.w - p.r).toBeGreaterThan(450);
      expect(p.ready - p.w).toBeGreaterThan(450);
    }
    await c.request({ type: 'lab.slowmo', factor: 1 });
    expect((await one(c, pre.id)).ms).toBeLessThan(400);
    expect((await one(c, ev.id)).ms).toBeLessThan(400);
  }, 60_000);

  it('the driver slows with it: keep-alive think times ×f', async () => {
    const t = await startLab();
    const c = await client(t);
    const pre = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 1\n' });
    await c.request({ type: 'lab.slowmo', factor: 10 });
    const t0 = Date.now();
    await c.request({ type: 'drive', instance: pre.id, steps: [{ mode: 'keepalive', n: 2, thinkMs: 100 }] });
    // 2 × (200 ms R + 200 ms W) + 100 ms × 10 think
    expect(Date.now() - t0).toBeGreaterThan(1700);
  }, 30_000);

  (HTTPD ? it : it.skip)('never slows real httpd, and says so; a comparison with httpd is refused while it is on', async () => {
    const t = await startLab();
    const c = await client(t);
    const h = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', backend: 'httpd', config: 'StartServers 2\n' });
    const n = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 2\n' });
    const r = await c.request<{ notSlowed: string[]; note: string }>({ type: 'lab.slowmo', factor: 50 });
    expect(r.notSlowed).toEqual([h.id]);
    expect(r.note).toMatch(/real httpd .* runs at its own speed/);
    expect((await one(c, h.id)).ms).toBeLessThan(500);
    await expect(c.request({ type: 'compare.run', instances: [h.id, n.id], tracks: [{ steps: [{ mode: 'single' }] }] })).rejects.toThrow(/never real httpd/);
  }, 60_000);
});
