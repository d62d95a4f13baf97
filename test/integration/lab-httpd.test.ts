// The lab drives real Apache httpd through the same control socket: started
// from config text with backend "httpd", driven, its events streamed.
import { afterEach, describe, expect, it } from 'vitest';
import type { DriverStepResult, InstanceSummary, ServerMessage } from '../../engine/protocol/messages.js';
import { HTTPD } from '../helpers/httpd.js';
import { client, startLab, stopLabs } from '../helpers/lab.js';

afterEach(stopLabs);

const suite = HTTPD ? describe : describe.skip;

suite('lab with the real httpd backend', () => {
  it('starts httpd from config text, drives it, streams request.end with the pids that answered, and stops it', async () => {
    const t = await startLab();
    const c = await client(t);
    const r = await c.request<InstanceSummary & { started: true }>({ type: 'engine.start', mpm: 'prefork', backend: 'httpd', config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\n' });
    expect(r).toMatchObject({ started: true, backend: 'httpd', state: 'running' });
    const results = await c.request<DriverStepResult[]>({ type: 'drive', instance: r.id, steps: [{ mode: 'sequential', n: 3, version: '1.0' }] });
    const pids = results[0].requests.map((x) => x.pid);
    expect(pids.every((p) => typeof p === 'number' && p > 0)).toBe(true);
    const seen: number[] = [];
    while (seen.length < 3) {
      const ev = (await c.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'request.end'), 10_000)) as Extract<ServerMessage, { type: 'events' }>;
      for (const e of ev.events) if (e.type === 'request.end' && e.path === '/') seen.push(e.pid);
    }
    expect(seen).toEqual(pids);
    await c.request({ type: 'engine.stop', instance: r.id });
    c.close();
  }, 40_000);
});
