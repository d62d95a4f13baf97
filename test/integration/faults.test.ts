// Faults during load. Through the lab, as a learner's page sees them: children
// SIGKILLed every 200 ms while ab runs — the parent reaps each one (a SIGKILL is
// not worth an error_log line in httpd either), the pool refills, and the event
// stream keeps flowing the whole time. And 10 graceful restarts while ab runs:
// not one request lost.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { ab, findAb } from '../../engine/bench/load.js';
import { startBackend } from '../../engine/cli/engine-process.js';
import type { EngineEvent } from '../../engine/protocol/events.js';
import type { InstanceSummary, ServerMessage } from '../../engine/protocol/messages.js';
import { connectLive } from '../../engine/protocol/client.js';
import { ROOT, childrenOf, pidAlive, sleep } from '../helpers/engine.js';
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
    // ab runs longer than the 20 kills take, even on a machine slowed by this very load
    const load = ab(r.port, { concurrency: 10, keepalive: false, seconds: 8 });
    const killed: number[] = [];
    for (let i = 0; i < 20; i++) {
      await sleep(200);
      const kids = childrenOf(r.pid);
      const victim = kids[Math.floor(Math.random() * kids.length)];
      if (victim) {
        process.kill(victim, 'SIGKILL');
        killed.push(victim);
      }
    }
    const res = await load;
    // one attempt per 200 ms; on a busy machine the pool is sometimes empty (every child just killed)
    expect(killed.length).toBeGreaterThanOrEqual(5);
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
    // the stream kept flowing: events in every second of the kills, and requests answered throughout
    const stamps = events.map((e) => e.ts);
    const t0 = Math.min(...stamps);
    const seconds = new Set(stamps.map((ts) => Math.floor((ts - t0) / 1000)));
    for (let s = 0; s < 4; s++) expect(seconds.has(s)).toBe(true);
    expect(events.filter((e) => e.type === 'request.end').length).toBeGreaterThan(100);
  }, 60_000);
});

suite('graceful restarts under load', () => {
  it.each(['prefork', 'worker', 'event'])('%s: 10 graceful restarts while ab runs lose no request', async (mpm) => {
    const sets = mpm === 'prefork' ? { StartServers: 5, MinSpareServers: 5, MaxSpareServers: 10 } : { StartServers: 2, ThreadsPerChild: 10, MinSpareThreads: 10, MaxSpareThreads: 30 };
    const e = await startBackend('node', mpm, { ...sets, LogLevel: 'warn' }, { events: false });
    try {
      const load = ab(e.port, { concurrency: 10, keepalive: false, seconds: 5 });
      for (let i = 0; i < 10; i++) {
        await sleep(300);
        e.signal('SIGUSR1');
      }
      const res = await load;
      // load really ran (how much depends on the machine: under a restart storm, threaded
      // children may not start accepting before the next restart, and connections wait
      // in the backlog — served later, never lost; 9 in 5 s seen once on worker)
      expect(res.completed).toBeGreaterThan(0);
      expect(res.failed).toBe(0);
      const status = await (await fetch(`http://127.0.0.1:${e.port}/server-status?auto`)).text();
      expect(/^ParentServerConfigGeneration: (\d+)$/m.exec(status)?.[1]).toBe('11');
    } finally {
      await e.stop();
    }
  }, 60_000);
});

suite('the lab SIGKILLed under load', () => {
  it('its engines (prefork and event) and all their children exit while ab is hammering them', async () => {
    const p = spawn(process.execPath, [path.join(ROOT, 'engine/bin/mpm-lab.js'), 'start', '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    onTestFinished(() => {
      p.kill('SIGKILL');
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    while (!/token=/.test(out)) await sleep(50);
    const url = new URL(/http:\/\/\S+/.exec(out)![0]);
    const ws = new WebSocket(`ws://${url.host}/control?token=${url.searchParams.get('token')}`, { headers: { Origin: `http://${url.host}` } });
    const c = await connectLive(ws as never);
    const engines = [
      await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 5\n' }),
      await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'event', config: 'StartServers 2\nThreadsPerChild 5\n' }),
    ];
    for (const s of engines) while (childrenOf(s.pid).length < 2) await sleep(50);
    // ab ends with an error once the servers are gone: that is expected
    const loads = engines.map((s) => ab(s.port, { concurrency: 10, keepalive: s.mpm === 'event', seconds: 4 }).catch(() => null));
    await sleep(1500);
    const tree = engines.flatMap((s) => [s.pid, ...childrenOf(s.pid)]);
    expect(tree.length).toBeGreaterThanOrEqual(4);
    p.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while (tree.some(pidAlive) && Date.now() < deadline) await sleep(50);
    expect(tree.filter(pidAlive)).toEqual([]);
    await Promise.all(loads);
  }, 40_000);
});
