// The lab server on a real socket: commands, events, late subscribers, several
// engines, records and replays, and who may connect at all.
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { replayTrace } from '../../engine/protocol/client.js';
import type { DriverStepResult, InstanceSummary, ServerMessage } from '../../engine/protocol/messages.js';
import { ROOT, childrenOf, pidAlive, sleep } from '../helpers/engine.js';
import { client, startLab, stopLabs, tryConnect } from '../helpers/lab.js';

afterEach(stopLabs);

type Started = InstanceSummary & { started: true };
const PREFORK3 = 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\n';

describe('lab commands', () => {
  it('says hello with the protocol version, then a snapshot', async () => {
    const t = await startLab();
    const c = await client(t);
    const hello = await c.next((m) => m.type === 'hello');
    expect(hello).toMatchObject({ type: 'hello', protocol: 1, recording: false });
    await c.next((m) => m.type === 'snapshot');
    expect(c.messages.map((m) => m.type).slice(0, 2)).toEqual(['hello', 'snapshot']);
    c.close();
  });

  it('starts an engine from Apache config text, reports effective values and AH warnings, and streams its events', async () => {
    const t = await startLab();
    const c = await client(t);
    const r = await c.request<Started>({ type: 'engine.start', mpm: 'prefork', config: `${PREFORK3}ServerLimit 4\nMaxRequestWorkers 10\n` });
    expect(r).toMatchObject({ started: true, id: 'a', mpm: 'prefork', state: 'running' });
    expect(r.report.effective).toContainEqual(['MaxRequestWorkers', '4']);
    expect(r.report.diagnostics.map((d) => d.ah)).toContain('AH00180');
    // a real request → request events carrying who served it
    const results = await c.request<DriverStepResult[]>({ type: 'drive', instance: 'a', steps: [{ mode: 'single', version: '1.0' }] });
    const pid = results[0].requests[0].pid;
    const ev = (await c.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'request.end'))) as Extract<ServerMessage, { type: 'events' }>;
    const end = ev.events.find((e) => e.type === 'request.end')!;
    expect(end).toMatchObject({ pid, status: 200, keepalive: 0 });
    expect(typeof end.ts).toBe('number');
    c.close();
  });

  it('refuses a broken config with httpd’s message and its line, starting nothing', async () => {
    const t = await startLab();
    const c = await client(t);
    const r = await c.request<{ started: boolean; report: { ok: boolean; error: string; errorLine: number } }>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 2\nStartServer 3\n' });
    expect(r.started).toBe(false);
    expect(r.report.errorLine).toBe(2);
    expect(r.report.error).toMatch(/Invalid command 'StartServer'/);
    const check = await c.request<{ ok: boolean }>({ type: 'config.check', mpm: 'prefork', config: 'KeepAliveTimeout 300ms\n' });
    expect(check.ok).toBe(true);
    c.close();
  });

  it('gives a late subscriber the present first: scoreboard, workers, children, recent requests', async () => {
    const t = await startLab();
    const a = await client(t);
    await a.request({ type: 'engine.start', mpm: 'prefork', config: PREFORK3 });
    await a.request({ type: 'drive', instance: 'a', steps: [{ mode: 'sequential', n: 3, version: '1.0' }] });
    // the driver has its answers; the engine's request.end events may still be on their way
    const ends = () => a.messages.flatMap((m) => (m.type === 'events' ? m.events.filter((e) => e.type === 'request.end') : [])).length;
    while (ends() < 3) await a.next((m) => m.type === 'events', 5000, a.messages.length);
    await a.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'scoreboard'), 5000, a.messages.length);
    const late = await client(t);
    const snap = (await late.next((m) => m.type === 'snapshot')) as Extract<ServerMessage, { type: 'snapshot' }>;
    const inst = snap.instances[0];
    expect(inst.children).toHaveLength(3);
    expect(inst.scoreboard?.type).toBe('scoreboard');
    expect(Object.keys(inst.workers).length).toBeGreaterThanOrEqual(3);
    expect(inst.recent.filter((e) => e.type === 'request.end')).toHaveLength(3);
    a.close();
    late.close();
  });

  it('runs two engines at once on their own ports, and follows one when asked', async () => {
    const t = await startLab();
    const c = await client(t);
    // started together: each gets its own id
    const [a, b] = await Promise.all([
      c.request<Started>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 1\n' }),
      c.request<Started>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 2\nKeepAlive Off\n' }),
    ]);
    expect([a.id, b.id]).toEqual(['a', 'b']);
    expect(a.port).not.toBe(b.port);
    const res = await c.request<DriverStepResult[]>({ type: 'drive', instance: 'b', steps: [{ mode: 'keepalive', n: 2 }] });
    expect(res[0].requests[0].connectionHeader).toBe('close'); // b has KeepAlive Off
    await c.request({ type: 'unsubscribe' });
    await c.request({ type: 'subscribe', instance: 'a' });
    const mark = c.messages.length;
    await c.request({ type: 'drive', instance: 'b', steps: [{ mode: 'single' }] });
    await c.request({ type: 'drive', instance: 'a', steps: [{ mode: 'single' }] });
    await c.next((m) => m.type === 'events' && m.instance === 'a' && m.events.some((e) => e.type === 'request.end'), 5000, mark);
    expect(c.messages.slice(mark).some((m) => m.type === 'events' && m.instance === 'b')).toBe(false);
    c.close();
  });

  it('restarts gracefully, applies a changed config, kills a child by pid, and stops', async () => {
    const t = await startLab();
    const c = await client(t);
    const s = await c.request<Started>({ type: 'engine.start', mpm: 'prefork', config: PREFORK3 });
    await c.request({ type: 'engine.restart', instance: s.id, mode: 'graceful' });
    await c.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'engine.state' && e.state === 'running' && e.generation === 1));
    const applied = await c.request<{ ok: boolean; effective: [string, string][] }>({ type: 'engine.apply', instance: s.id, config: `${PREFORK3}MaxKeepAliveRequests 2\n` });
    expect(applied.effective).toContainEqual(['MaxKeepAliveRequests', '2']);
    await c.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'engine.state' && e.state === 'running' && e.generation === 2));
    const ka = await c.request<DriverStepResult[]>({ type: 'drive', instance: s.id, steps: [{ mode: 'keepalive', n: 3 }] });
    expect(ka[0].requests.map((r) => r.connectionHeader)).toEqual([null, null, 'close']);
    const victim = ka[0].requests[0].pid!;
    await c.request({ type: 'child.kill', instance: s.id, pid: victim, signal: 'SIGSEGV' });
    const crash = await c.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'log' && e.ah === 'AH00052'));
    expect(JSON.stringify(crash)).toContain(`child pid ${victim} exit signal Segmentation fault (11)`);
    await expect(c.request({ type: 'child.kill', instance: s.id, pid: process.pid, signal: 'SIGKILL' })).rejects.toThrow(/is not a child of this engine/);
    const engineChildren = childrenOf(s.pid);
    // each live child's memory, read from /proc: a child costs its USS; RSS counts shared pages too
    const mem = await c.request<{ children: Array<{ pid: number; rssKb: number; pssKb: number; ussKb: number }> }>({ type: 'instance.memory', instance: s.id });
    expect(mem.children.length).toBeGreaterThan(0);
    for (const m of mem.children) {
      expect(engineChildren).toContain(m.pid);
      expect([m.ussKb > 0, m.ussKb <= m.pssKb, m.pssKb <= m.rssKb]).toEqual([true, true, true]);
    }
    await c.request({ type: 'engine.stop', instance: s.id });
    await c.next((m) => m.type === 'instance.exit');
    expect(engineChildren.filter(pidAlive)).toEqual([]);
    c.close();
  }, 30_000);
});

describe('raw connections (the terminal)', () => {
  it('sends bytes as typed, returns every byte verbatim, keeps the connection open', async () => {
    const t = await startLab();
    const c = await client(t);
    await c.request({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 1\n' });
    const { session } = await c.request<{ session: string }>({ type: 'raw.open', instance: 'a' });
    const mark = c.messages.length;
    await c.request({ type: 'raw.send', session, data: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' });
    const bytes = () => c.messages.slice(mark).flatMap((m) => (m.type === 'raw.data' ? [m.data] : [])).join('');
    while (!bytes().includes('It works!')) await c.next((m) => m.type === 'raw.data', 5000, c.messages.length);
    expect(bytes().startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    // still open: a second request on the same connection (its Connection: close is not
    // counted by %k, httpd's quirk, so X-Keepalive stays 0 — reqId says it is the 2nd)
    const mark2 = c.messages.length;
    await c.request({ type: 'raw.send', session, data: 'GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' });
    const closed = await c.next((m) => m.type === 'raw.closed' && m.session === session, 5000, mark2);
    expect(closed).toMatchObject({ by: 'server' });
    const text = c.messages.slice(mark2).flatMap((m) => (m.type === 'raw.data' ? [m.data] : [])).join('');
    expect(text).toMatch(/X-Keepalive: 0\r\n/);
    expect(text).toMatch(/"reqId":2/);
    await expect(c.request({ type: 'raw.send', session, data: 'x' })).rejects.toThrow(/no raw connection/);
    c.close();
  });
});

describe('the event stream under load', () => {
  it('never falls behind silently: a subscriber that stops reading is told how many events it missed', async () => {
    // ~30 MB of events: more than the kernel's loopback buffers (~10 MB) absorb, and a small high-water mark
    const t = await startLab({ eventHighWater: 16 * 1024 });
    const driver = await client(t);
    await driver.request({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 4\nMinSpareServers 4\nMaxSpareServers 8\n' });
    // a second subscriber whose socket stops reading (a frozen tab)
    const slow = new WebSocket(`ws://127.0.0.1:${t.port}/control?token=${t.token}`, { headers: { Origin: t.origin } });
    let got = 0;
    let dropped = 0;
    slow.on('message', (d) => {
      const m = JSON.parse(String(d)) as ServerMessage;
      if (m.type === 'events' && m.instance === 'a') got += m.events.length;
      if (m.type === 'dropped') dropped += m.count;
    });
    await new Promise((r) => slow.on('open', r));
    await driver.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'scoreboard'));
    const from = driver.messages.length;
    (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    // three drives of 10,000 (the per-drive limit) at once
    const burst = { type: 'drive' as const, instance: 'a', steps: [{ mode: 'burst' as const, connections: 20, requests: 500, keepalive: true }] };
    await Promise.all([driver.request(burst), driver.request(burst), driver.request(burst)]);
    (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.resume();
    // one more batch after the drive tells the slow one what it lost
    const mark = driver.messages.length;
    await driver.request({ type: 'drive', instance: 'a', steps: [{ mode: 'single', path: '/static/hello.txt' }] });
    const last = (await driver.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'request.end' && e.path === '/static/hello.txt'), 10_000, mark)) as Extract<ServerMessage, { type: 'events' }>;
    const fastTotal = driver.messages.slice(from).flatMap((m) => (m.type === 'events' && m.instance === 'a' ? m.events : [])).length;
    const lastTs = last.events.at(-1)!.ts;
    // wait until the slow one has caught up with everything sent after its pause
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && got + dropped < fastTotal) await sleep(50);
    slow.close();
    expect(dropped).toBeGreaterThan(0);
    expect(got + dropped).toBeGreaterThanOrEqual(fastTotal);
    expect(lastTs).toBeGreaterThan(0);
  }, 60_000);
});

describe('recording and replay', () => {
  it('replays a recorded trace with exactly the events live subscribers saw', async () => {
    const t = await startLab();
    const c = await client(t);
    await c.request({ type: 'engine.start', mpm: 'prefork', config: PREFORK3 });
    await c.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'scoreboard'));
    const rec = await c.request<{ name: string }>({ type: 'record.start', name: 'lesson-demo' });
    const from = c.messages.length;
    const drove = await c.request<DriverStepResult[]>({ type: 'drive', instance: 'a', steps: [{ mode: 'sequential', n: 4, version: '1.0' }, { mode: 'keepalive', n: 3 }] });
    // wait until the last request's events are in, then one more scoreboard
    await c.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'scoreboard'), 5000, c.messages.length);
    const stopped = await c.request<{ name: string; bytes: number }>({ type: 'record.stop' });
    expect(stopped.name).toBe(rec.name);
    const live = c.messages.slice(from).flatMap((m) => (m.type === 'events' ? m.events : []));
    const list = await c.request<Array<{ name: string }>>({ type: 'traces.list' });
    expect(list.map((x) => x.name)).toContain('lesson-demo.jsonl');
    const { text } = await c.request<{ text: string }>({ type: 'traces.get', name: 'lesson-demo.jsonl' });

    const replay = replayTrace(text, { speed: 0 });
    const seen: ServerMessage[] = [];
    replay.on((m) => seen.push(m));
    replay.start();
    await sleep(50);
    const replayed = seen.flatMap((m) => (m.type === 'events' ? m.events : []));
    // every event a live subscriber received while recording, in the same order
    expect(replayed.slice(0, live.length)).toEqual(live);
    expect(seen[0].type).toBe('snapshot');
    expect(replay.drives()[0].results).toEqual(drove);
    await expect(replay.request({ type: 'drive', instance: 'a', steps: [{ mode: 'single' }] })).rejects.toThrow(/replay: "drive" needs a running engine/);
    c.close();
  });
});

describe('who may use the control socket', () => {
  it('refuses no token, a wrong token, a foreign Origin and a rebinding Host, before the upgrade', async () => {
    const t = await startLab();
    const base = `ws://127.0.0.1:${t.port}/control`;
    expect(await tryConnect(base, { Origin: t.origin })).toMatchObject({ ok: false, why: 'http 401' });
    expect(await tryConnect(`${base}?token=x${t.token}`, { Origin: t.origin })).toMatchObject({ ok: false, why: 'http 401' });
    expect(await tryConnect(`${base}?token=${t.token}`, { Origin: 'http://evil.example' })).toMatchObject({ ok: false, why: 'http 403' });
    expect(await tryConnect(`${base}?token=${t.token}`, { Origin: t.origin, Host: `attacker.example:${t.port}` })).toMatchObject({ ok: false, why: 'http 403' });
    const good = await tryConnect(`${base}?token=${t.token}`, { Origin: t.origin });
    expect(good.ok).toBe(true);
    if (good.ok) good.ws.close();
    // plain HTTP from a rebinding name is refused too
    const status = await new Promise<number>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port: t.port, path: '/', headers: { Host: `attacker.example:${t.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject),
    );
    expect(status).toBe(403);
  });

  it('accepts an origin the user allowed explicitly', async () => {
    const t = await startLab({ allowOrigins: ['https://lab.example.org'] });
    const ok = await tryConnect(`ws://127.0.0.1:${t.port}/control?token=${t.token}`, { Origin: 'https://lab.example.org' });
    expect(ok.ok).toBe(true);
    if (ok.ok) ok.ws.close();
  });

  it('answers 1000 malformed messages with errors and stays up; closes on an oversized frame', async () => {
    const t = await startLab();
    const c = await client(t);
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}/control?token=${t.token}`, { headers: { Origin: t.origin } });
    await new Promise((r) => ws.on('open', r));
    const errors: string[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d));
      if (m.type === 'error') errors.push(m.message);
    });
    const bad = [
      '{not json',
      'null',
      '[]',
      '{"type":"explode","id":1}',
      '{"type":"drive","id":2}',
      '{"type":"drive","id":3,"instance":"a","steps":[{"mode":"burst","connections":5000,"requests":1}]}',
      '{"type":"engine.start","id":4,"mpm":"apache1"}',
      '{"type":"child.kill","id":5,"instance":"a","pid":-1}',
      '{"type":"traces.get","id":6,"name":"../../etc/passwd"}',
      '{"id":7}',
    ];
    for (let i = 0; i < 1000; i++) ws.send(bad[i % bad.length]);
    while (errors.length < 1000) await sleep(20);
    expect(errors).toHaveLength(1000);
    expect(errors).toContain('unknown request type "explode"; known: ' + errors.find((e) => e.startsWith('unknown request type "explode"'))!.split('known: ')[1]);
    expect(errors.some((e) => /bad drive request: .*instance/.test(e))).toBe(true);
    expect(errors.some((e) => /connections/.test(e))).toBe(true);
    // still serving
    expect(await c.request({ type: 'snapshot' })).toMatchObject({ type: 'snapshot' });
    // a frame over maxPayload ends that socket only
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.send('x'.repeat(200 * 1024));
    expect(await closed).toBe(1009);
    expect(await c.request({ type: 'snapshot' })).toMatchObject({ type: 'snapshot' });
    c.close();
  });

  it('refuses driver work over the limits with a message that says which', async () => {
    const t = await startLab();
    const c = await client(t);
    await c.request({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 1\n' });
    await expect(
      c.request({ type: 'drive', instance: 'a', steps: [{ mode: 'sequential', n: 6000 }, { mode: 'sequential', n: 6000 }] }),
    ).rejects.toThrow(/10000|10,000/);
    await expect(c.request({ type: 'drive', instance: 'zz', steps: [{ mode: 'single' }] })).rejects.toThrow(/no engine 'zz'/);
    c.close();
  });
});

describe('the lab as a process', () => {
  it('prints one URL with the token; when SIGKILLed, its engines and their children exit', async () => {
    const p = spawn(process.execPath, [path.join(ROOT, 'engine/bin/mpm-lab.js'), 'start', '--port', '0', '--traces', path.join(os.tmpdir(), 'mpm-lab-test-traces')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    onTestFinished(() => {
      p.kill('SIGKILL');
    });
    while (!/token=/.test(out)) await sleep(50);
    const url = new URL(/http:\/\/\S+/.exec(out)![0]);
    expect(url.hostname).toBe('127.0.0.1');
    const ws = new WebSocket(`ws://${url.host}/control?token=${url.searchParams.get('token')}`, { headers: { Origin: `http://${url.host}` } });
    const c = await (await import('../../engine/protocol/client.js')).connectLive(ws as never);
    const s = await c.request<Started>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 2\n' });
    while (childrenOf(s.pid).length < 2) await sleep(50);
    const tree = [s.pid, ...childrenOf(s.pid)];
    p.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while (tree.some(pidAlive) && Date.now() < deadline) await sleep(50);
    expect(tree.filter(pidAlive)).toEqual([]);
  });
});
