// The classroom, with several WebSocket clients on loopback: the teacher (the
// session token) and participants (the join code). Join with and without the
// code, requests attributed per student, rate limits, locked and frozen
// classes, a participant trying the teacher's commands, removal, rotation, the
// question's tallies, and 50 participants with the event stream keeping up.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent } from '../../engine/protocol/events.js';
import type { ClassroomState, DriverStepResult, InstanceSummary, ServerMessage } from '../../engine/protocol/messages.js';
import { ROOT, sleep } from '../helpers/engine.js';
import fs from 'node:fs';
import WebSocket from 'ws';
import { connectLive } from '../../engine/protocol/client.js';
import { client, participant, startLab, stopLabs, tryConnect, type TestClient, type TestLab } from '../helpers/lab.js';

/** A participant's socket at another address, with its messages (as helpers/lab's). */
async function participantAt(url: string, origin: string): Promise<TestClient> {
  const messages: ServerMessage[] = [];
  const c = await connectLive(new WebSocket(url, { headers: { Origin: origin } }) as never, (lc) => lc.on((m) => messages.push(m)));
  return Object.assign(c, { messages, next: () => Promise.reject(new Error('unused')) }) as unknown as TestClient;
}

/** IPv4 addresses with a LISTEN socket on this port, from the kernel's table. */
function listenAddrs(port: number): string[] {
  return fs
    .readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 3 && f[3] === '0A' && parseInt(f[1].split(':')[1], 16) === port)
    .map((f) => {
      const hex = f[1].split(':')[0];
      return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
    });
}

type Any = never;
const join = (p: TestClient, name: string) => p.request<{ participant: { id: string; name: string; color: string } }>({ type: 'classroom.join', name } as Any);
const send = (p: TestClient, steps: unknown[]) => p.request<DriverStepResult[]>({ type: 'drive', steps } as Any);
const lastState = (c: TestClient) => (c.messages.filter((m) => m.type === 'classroom').at(-1) as Extract<ServerMessage, { type: 'classroom' }>).state;

async function classWithEngine(maxParticipants?: number): Promise<{ t: TestLab; teacher: TestClient; engine: InstanceSummary }> {
  const t = await startLab({ classroom: { maxParticipants } });
  const teacher = await client(t);
  const engine = await teacher.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\n' });
  return { t, teacher, engine };
}

describe('classroom', () => {
  afterAll(stopLabs);

  it('needs the join code: none, a wrong one and an old one after rotation are refused; the right one joins', async () => {
    const { t, teacher } = await classWithEngine();
    const url = (code: string) => `ws://127.0.0.1:${t.port}/classroom${code}`;
    expect(await tryConnect(url(''), { Origin: t.origin })).toMatchObject({ ok: false, why: 'http 401' });
    expect(await tryConnect(url('?code=WRONG1'), { Origin: t.origin })).toMatchObject({ ok: false });
    // a page on another site cannot join even with the code
    expect(await tryConnect(url(`?code=${t.lab.classroom!.code}`), { Origin: 'https://evil.example' })).toMatchObject({ ok: false, why: 'http 403' });
    // the join code never opens the teacher's socket
    expect(await tryConnect(`ws://127.0.0.1:${t.port}/control?code=${t.lab.classroom!.code}`, { Origin: t.origin })).toMatchObject({ ok: false });
    const old = t.lab.classroom!.code;
    const ada = await participant(t);
    expect((await join(ada, 'Ada')).participant).toMatchObject({ id: 'p1', name: 'Ada' });
    await teacher.request({ type: 'classroom.rotate' });
    const fresh = lastState(teacher).code!;
    expect(fresh).not.toBe(old);
    expect(fresh).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect((await tryConnect(url(`?code=${old}`), { Origin: t.origin })).ok).toBe(false);
    expect((await tryConnect(url(`?code=${fresh.toLowerCase()}`), { Origin: t.origin })).ok).toBe(true);
    // who joined before the rotation stays
    expect(lastState(teacher).participants.map((p) => p.name)).toEqual(['Ada']);
    // the participant never sees the code or the tallies
    expect(lastState(ada).code).toBeUndefined();
    expect(lastState(ada).tallies).toBeUndefined();
  });

  it("attributes each student's requests to them, on everyone's stream; only the shared engine's events reach students", async () => {
    const { t, teacher, engine } = await classWithEngine();
    const other = await teacher.request<InstanceSummary>({ type: 'engine.start', mpm: 'worker', config: 'StartServers 1\nThreadsPerChild 4\nMinSpareThreads 1\nMaxSpareThreads 4\n' });
    const [ada, bob] = [await participant(t), await participant(t)];
    const a = (await join(ada, 'Ada')).participant;
    const b = (await join(bob, 'Ada')).participant;
    expect(b.name).toBe('Ada 2');
    expect(a.color).not.toBe(b.color);
    expect(lastState(teacher).instance).toBe(engine.id);
    const ra = await send(ada, [{ mode: 'sequential', n: 3, version: '1.0' }]);
    const rb = await send(bob, [{ mode: 'keepalive', n: 2 }]);
    const conns = (r: DriverStepResult[]) => new Set(r.flatMap((s) => s.requests.map((q) => q.connId)));
    for (const watcher of [teacher, ada, bob]) {
      const attributed = (who: string) => new Set(watcher.messages.flatMap((m) => (m.type === 'classroom.requests' && m.participant === who ? m.connIds : [])));
      await expect.poll(() => attributed(a.id)).toEqual(conns(ra));
      await expect.poll(() => attributed(b.id)).toEqual(conns(rb));
    }
    await expect.poll(() => lastState(teacher).participants.map((p) => [p.name, p.requests])).toEqual([['Ada', 3], ['Ada 2', 2]]);
    // the students' requests went to the shared engine, and they saw its request.end events — only its
    const events = ada.messages.filter((m): m is Extract<ServerMessage, { type: 'events' }> => m.type === 'events');
    expect(new Set(events.map((m) => m.instance))).toEqual(new Set([engine.id]));
    const ended = events.flatMap((m) => m.events).filter((e): e is Extract<EngineEvent, { type: 'request.end' }> => e.type === 'request.end');
    for (const c of conns(ra)) expect(ended.some((e) => e.connId === c)).toBe(true);
    // the teacher shares the other engine: students now follow it
    await teacher.request({ type: 'classroom.share', instance: other.id });
    const r = await send(ada, [{ mode: 'single' }]);
    expect(r[0].requests[0].slot).toMatch(/^\d+\.\d+$/);
    // that request's end reaches the students, from the other engine, and nothing after it from the first
    const seen = () => ada.messages.findLastIndex((m) => m.type === 'events' && m.events.some((e) => e.type === 'request.end' && e.connId === r[0].requests[0].connId));
    await expect.poll(seen).toBeGreaterThanOrEqual(0);
    expect((ada.messages[seen()] as Extract<ServerMessage, { type: 'events' }>).instance).toBe(other.id);
    const latest = ada.messages.filter((m) => m.type === 'events').at(-1) as Extract<ServerMessage, { type: 'events' }>;
    expect(latest.instance).toBe(other.id);
  });

  it('refuses what students may not do, by name: the teacher’s commands, raw bytes, big drives, too many sends, before joining', async () => {
    const { t, engine } = await classWithEngine();
    const p = await participant(t);
    await expect(send(p, [{ mode: 'single' }])).rejects.toThrow(/join first/);
    await join(p, 'Eve');
    for (const cmd of [
      { type: 'engine.start', mpm: 'prefork' },
      { type: 'engine.stop', instance: engine.id },
      { type: 'engine.apply', instance: engine.id, config: 'StartServers 50\n' },
      { type: 'child.kill', instance: engine.id, pid: 1 },
      { type: 'raw.open', instance: engine.id },
      { type: 'classroom.lock', locked: false },
      { type: 'classroom.remove', participant: 'p1' },
      { type: 'record.start' },
    ]) {
      await expect(p.request(cmd as Any)).rejects.toThrow(/^participants cannot use/);
    }
    await expect(send(p, [{ mode: 'raw', data: 'GET / HTTP/1.0\r\n\r\n' }])).rejects.toThrow(/raw bytes/);
    await expect(send(p, [{ mode: 'burst', connections: 50, requests: 1 }])).rejects.toThrow(/at most 10 connections/);
    await expect(send(p, [{ mode: 'sequential', n: 25 }])).rejects.toThrow(/at most 20 requests/);
    // the rate limit: 5 quick sends, then one every 2 s
    const quick = await Promise.allSettled(Array.from({ length: 7 }, () => send(p, [{ mode: 'single' }])));
    expect(quick.filter((r) => r.status === 'fulfilled').length).toBe(5);
    expect(quick.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.message)).toEqual([expect.stringMatching(/^slow down/), expect.stringMatching(/^slow down/)]);
    await sleep(2100);
    await expect(send(p, [{ mode: 'single' }])).resolves.toHaveLength(1);
  });

  it('the teacher locks, freezes and removes; students are told why, and a frozen class sees nothing until it resumes', async () => {
    const { t, teacher } = await classWithEngine();
    const p = await participant(t);
    const { participant: me } = await join(p, 'Lin');
    await teacher.request({ type: 'classroom.lock', locked: true });
    await p.next((m) => m.type === 'classroom' && m.state.locked);
    await expect(send(p, [{ mode: 'single' }])).rejects.toThrow(/locked the controls/);
    await teacher.request({ type: 'classroom.lock', locked: false });
    await teacher.request({ type: 'classroom.freeze', frozen: true });
    await expect(send(p, [{ mode: 'single' }])).rejects.toThrow(/frozen/);
    const before = p.messages.filter((m) => m.type === 'events').length;
    await teacher.request({ type: 'drive', instance: lastState(teacher).instance!, steps: [{ mode: 'sequential', n: 3 }] });
    await sleep(300);
    expect(p.messages.filter((m) => m.type === 'events').length).toBe(before);
    const from = p.messages.length;
    await teacher.request({ type: 'classroom.freeze', frozen: false });
    // resumed: a fresh picture, then the stream again
    await p.next((m) => m.type === 'snapshot', 5000, from);
    await send(p, [{ mode: 'single' }]);
    await teacher.request({ type: 'classroom.remove', participant: me.id });
    await expect.poll(() => lastState(teacher).participants).toEqual([]);
    await p.next((m) => m.type === 'error' && /removed you/.test(m.message));
    await expect(send(p, [{ mode: 'single' }])).rejects.toThrow();
  });

  it('puts a question to the class and tallies the answers for the teacher only', async () => {
    const { t, teacher } = await classWithEngine();
    const ps = await Promise.all([0, 1, 2].map(() => participant(t)));
    for (const [i, p] of ps.entries()) await join(p, `S${i}`);
    const question = { id: 'q1', text: 'Five HTTP/1.0 requests: how many children serve them?', choices: [{ id: 'one', text: 'one' }, { id: 'many', text: 'several' }] };
    await teacher.request({ type: 'classroom.ask', question });
    await ps[0].next((m) => m.type === 'classroom' && m.state.question?.id === 'q1');
    await ps[0].request({ type: 'classroom.answer', question: 'q1', choice: 'many' } as Any);
    await ps[1].request({ type: 'classroom.answer', question: 'q1', choice: 'many' } as Any);
    await ps[2].request({ type: 'classroom.answer', question: 'q1', choice: 'one' } as Any);
    await ps[2].request({ type: 'classroom.answer', question: 'q1', choice: 'many' } as Any); // a change of mind counts once
    await expect(ps[0].request({ type: 'classroom.answer', question: 'q1', choice: 'all' } as Any)).rejects.toThrow(/not one of the choices/);
    const s = await teacher.request<ClassroomState>({ type: 'classroom.state' });
    expect(s.tallies).toEqual({ one: 0, many: 3 });
    expect(s.answered).toBe(3);
  });

  it('caps the class at maxParticipants, and says so', async () => {
    const { t } = await classWithEngine(2);
    await join(await participant(t), 'A');
    await join(await participant(t), 'B');
    await expect(join(await participant(t), 'C')).rejects.toThrow(/the class is full \(2 participants\)/);
  });

  it('50 participants: each gets every event of a 400-request run, none dropped, within seconds', async () => {
    const { t, teacher, engine } = await classWithEngine();
    const ps = await Promise.all(Array.from({ length: 50 }, () => participant(t)));
    await Promise.all(ps.map((p, i) => join(p, `student ${i}`)));
    const from = ps.map((p) => p.messages.length);
    const t0 = Date.now();
    await teacher.request({ type: 'drive', instance: engine.id, steps: [{ mode: 'burst', connections: 10, requests: 40, keepalive: true }] });
    const ends = (c: TestClient, i: number) => c.messages.slice(i).flatMap((m) => (m.type === 'events' ? m.events : [])).filter((e) => e.type === 'request.end').length;
    while (ps.some((p, i) => ends(p, from[i]) < 400) && Date.now() - t0 < 15_000) await sleep(50);
    expect(ps.map((p, i) => ends(p, from[i]))).toEqual(ps.map(() => 400));
    expect(ps.some((p) => p.messages.some((m) => m.type === 'dropped'))).toBe(false);
    expect(Date.now() - t0).toBeLessThan(15_000);
  }, 60_000);

  it('--host: the class joins on that address (here 127.0.0.2); the teacher socket and the engines stay on 127.0.0.1', async () => {
    const t = await startLab({ classroom: { host: '127.0.0.2' } });
    const teacher = await client(t);
    const engine = await teacher.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 1\n' });
    const code = t.lab.classroom!.code;
    expect(t.lab.classroom!.joinUrl).toBe(`http://127.0.0.2:${t.port}/classroom/?code=${code}`);
    const there = `127.0.0.2:${t.port}`;
    // the page itself is served there
    expect((await fetch(`http://${there}/classroom/`)).status).not.toBe(403);
    const p = await participantAt(`ws://${there}/classroom?code=${code}`, `http://${there}`);
    await join(p, 'Remote');
    expect((await send(p, [{ mode: 'single' }]))[0].requests[0].status).toBe(200);
    // the teacher's socket is not reachable on the classroom address, even with the token
    expect((await tryConnect(`ws://${there}/control?token=${t.token}`, { Origin: `http://${there}` })).ok).toBe(false);
    // LISTEN sockets: the lab on both addresses, the engine on loopback only
    const listening = (port: number) => listenAddrs(port);
    expect(listening(t.port).sort()).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(listening(engine.port)).toEqual(['127.0.0.1']);
  });

  it('without --classroom there is no /classroom socket and no classroom command', async () => {
    const t = await startLab();
    const c = await client(t);
    expect((await tryConnect(`ws://127.0.0.1:${t.port}/classroom?code=ABCDEF`, { Origin: t.origin })).ok).toBe(false);
    await expect(c.request({ type: 'classroom.state' })).rejects.toThrow(/start it with mpm-lab start --classroom/);
  });

  it('mpm-lab start --classroom prints the join URL and code; --host without --classroom is refused', async () => {
    const bin = path.join(ROOT, 'engine/bin/mpm-lab.js');
    const p = spawn(process.execPath, [bin, 'start', '--port', '0', '--classroom'], { stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => {
      p.kill('SIGKILL');
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    while (!/join code/.test(out)) await sleep(50);
    const m = /students join at (http:\/\/127\.0\.0\.1:\d+\/classroom\/\?code=([A-Z2-9]{6})) \(join code \2\)/.exec(out);
    expect(m).not.toBeNull();
    const bad = spawn(process.execPath, [bin, 'start', '--port', '0', '--host', '0.0.0.0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    bad.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => bad.on('exit', r));
    expect(code).not.toBe(0);
    expect(err).toMatch(/--host is for the classroom/);
  });
});
