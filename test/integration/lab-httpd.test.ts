// The lab drives real Apache httpd through the same control socket: started
// from config text with backend "httpd", driven, its events streamed.
import { afterEach, describe, expect, it } from 'vitest';
import type { DriverStepResult, InstanceSummary } from '../../engine/protocol/messages.js';
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
    // every request.end streamed so far, across all event messages
    const seen = () =>
      c.messages.flatMap((m) => (m.type === 'events' ? m.events : [])).flatMap((e) => (e.type === 'request.end' && e.path === '/' ? [e.pid] : []));
    const deadline = Date.now() + 10_000;
    while (seen().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(seen()).toEqual(pids);
    await c.request({ type: 'engine.stop', instance: r.id });
    c.close();
  }, 40_000);
});
