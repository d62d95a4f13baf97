// Faults during load, through the lab as a learner's page sees them: children
// SIGKILLed every 200 ms while ab runs. The parent reaps each one (a SIGKILL is
// not worth an error_log line in httpd either), the pool refills, and the event
// stream keeps flowing the whole time.
import { afterAll, describe, expect, it } from 'vitest';
import { ab, findAb } from '../../engine/bench/load.js';
import type { EngineEvent } from '../../engine/protocol/events.js';
import type { InstanceSummary, ServerMessage } from '../../engine/protocol/messages.js';
import { childrenOf, pidAlive, sleep } from '../helpers/engine.js';
import { client, startLab, stopLabs } from '../helpers/lab.js';

const AB = findAb();
if (!AB) {
  const msg = '\n*** `ab` not found (Debian: apt-get install apache2-utils): fault tests are SKIPPED ***\n';
  if (process.env.CI) throw new Error(msg + 'CI=true: a missing ab is a failure.');
  console.warn(msg);
}
const suite = AB ? describe : describe.skip;

suite('faults under load', () => {
  afterAll(stopLabs);

  it('SIGKILL of a random child every 200 ms: each reaped and replaced, the stream never stops', async () => {
    const t = await startLab();
    const c = await client(t);
    const r = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 5\nMinSpareServers 5\nMaxSpareServers 10\n' });
    while (childrenOf(r.pid).length < 5) await sleep(50);
    const from = c.messages.length;
    const started = Date.now();
    const load = ab(r.port, { concurrency: 10, keepalive: false, seconds: 6 });
    const killed: number[] = [];
    while (Date.now() - started < 5000) {
      await sleep(200);
      const kids = childrenOf(r.pid);
      const victim = kids[Math.floor(Math.random() * kids.length)];
      if (victim) {
        process.kill(victim, 'SIGKILL');
        killed.push(victim);
      }
    }
    const res = await load;
    expect(killed.length).toBeGreaterThanOrEqual(15); // one per ~200 ms, for 5 s
    // most requests still answered: only a killed child's own connection is lost
    expect(res.completed - res.failed).toBeGreaterThan(res.completed / 2);
    // the parent is alive and refills the pool
    expect(pidAlive(r.pid)).toBe(true);
    const deadline = Date.now() + 5000;
    while (childrenOf(r.pid).length < 5 && Date.now() < deadline) await sleep(100);
    expect(childrenOf(r.pid).length).toBeGreaterThanOrEqual(5);
    await sleep(300);
    const events = c.messages.slice(from).flatMap((m: ServerMessage) => (m.type === 'events' ? m.events : [])) as EngineEvent[];
    // every kill reaped: a child.exit with SIGKILL for each victim
    const exits = new Set(events.filter((e) => e.type === 'child.exit' && e.signal === 'SIGKILL').map((e) => (e as Extract<EngineEvent, { type: 'child.exit' }>).pid));
    for (const pid of killed) expect(exits.has(pid)).toBe(true);
    expect(events.filter((e) => e.type === 'child.spawn').length).toBeGreaterThanOrEqual(killed.length - 5);
    // the stream kept flowing: answered requests in every second of the load
    const ends = events.filter((e) => e.type === 'request.end').map((e) => e.ts);
    const t0 = Math.min(...ends);
    const seconds = new Set(ends.map((ts) => Math.floor((ts - t0) / 1000)));
    for (let s = 0; s < 5; s++) expect(seconds.has(s)).toBe(true);
  }, 60_000);
});
