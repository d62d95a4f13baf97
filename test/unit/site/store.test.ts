// The playground's view model: recorded-style event sequences in, panels' data out.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../engine/protocol/events.js';
import type { ServerMessage } from '../../../engine/protocol/messages.js';
import { PlaygroundStore, accessLogLine } from '../../../site/playground/store.js';

let ts = 1000;
const at = () => (ts += 1);
const ws = (slot: number, pid: number, status: string, connId?: string): EngineEvent => ({ type: 'worker.status', ts: at(), slot, thread: 0, pid, status: status as never, ...(connId ? { connId } : {}) });
const spawn = (slot: number, pid: number, generation = 0): EngineEvent => ({ type: 'child.spawn', ts: at(), pid, slot, generation });
const start = (slot: number, pid: number, connId: string, reqId: number): EngineEvent => ({ type: 'request.start', ts: at(), pid, tid: pid, slot, thread: 0, connId, reqId, method: 'GET', path: '/', version: 'HTTP/1.1' });
const end = (slot: number, pid: number, connId: string, reqId: number, keepalive: number, connection: 'keep' | 'close'): EngineEvent => ({
  type: 'request.end', ts: at(), pid, tid: pid, slot, thread: 0, connId, reqId, method: 'GET', path: '/', version: 'HTTP/1.1', request: 'GET / HTTP/1.1',
  status: 200, bytes: 45, durationMs: 0.5, keepalive, connStatus: connection === 'keep' ? '+' : '-', connection, userAgent: '-', client: '127.0.0.1:1',
});
const events = (...evs: EngineEvent[]): ServerMessage => ({ type: 'events', instance: 'a', events: evs });
const board = (s: string): EngineEvent => ({ type: 'scoreboard', ts: at(), generation: 0, scoreboard: s, processes: [], busy: 0, idle: 0, graceful: 0 });

function fresh() {
  const st = new PlaygroundStore();
  st.apply({ type: 'hello', protocol: 1, version: 't', limits: { driver: {}, maxInstances: 4, maxProcesses: 64 }, recording: false, clock: { mono: 500, wall: 1_700_000_000_000 } });
  st.apply({ type: 'snapshot', instances: [], ts: 1 });
  return st;
}

describe('PlaygroundStore', () => {
  it('draws the scoreboard from the last mod_status string plus live changes', () => {
    const st = fresh();
    st.apply(events(spawn(0, 100), spawn(1, 101), ws(0, 100, 'S'), ws(1, 101, 'S'), board('SS........')));
    st.apply(events(ws(0, 100, '_'), ws(1, 101, '_'), ws(1, 101, 'R', '101-1'), ws(1, 101, 'W', '101-1')));
    const v = st.state.instances.get('a')!;
    expect(v.slots).toBe('_W........');
    expect(v.counts).toEqual({ busy: 1, idle: 1, graceful: 0, dead: 8 });
    expect(v.processes.map((p) => [p.slot, p.pid, p.workers[0].status, p.workers[0].connId])).toEqual([
      [0, 100, '_', undefined],
      [1, 101, 'W', '101-1'],
    ]);
  });

  it('threaded: the scoreboard string has ThreadsPerChild letters per process, and live thread changes land on theirs', () => {
    const st = fresh();
    const wt = (slot: number, thread: number, pid: number, status: string): EngineEvent => ({ type: 'worker.status', ts: at(), slot, thread, pid, status: status as never });
    st.apply(events(spawn(0, 100), spawn(1, 101), wt(0, 0, 100, '_'), wt(0, 1, 100, '_'), wt(1, 0, 101, '_'), wt(1, 1, 101, '_')));
    st.apply(events({ type: 'scoreboard', ts: at(), generation: 0, scoreboard: '____....', busy: 0, idle: 4, graceful: 0,
      processes: [{ slot: 0, pid: 100, generation: 0, quiescing: false, workers: '__' }, { slot: 1, pid: 101, generation: 0, quiescing: false, workers: '__' }] }));
    st.apply(events(wt(1, 1, 101, 'K')));
    const v = st.state.instances.get('a')!;
    expect(v.slots).toBe('___K....');
    expect(v.counts).toMatchObject({ busy: 1, idle: 3 });
    expect(v.processes.map((p) => p.workers.map((w) => w.status).join(''))).toEqual(['__', '_K']);
  });

  it('a reaped child leaves an open slot', () => {
    const st = fresh();
    st.apply(events(spawn(0, 100), ws(0, 100, '_'), board('_...')));
    st.apply(events(ws(0, 100, '.'), { type: 'child.exit', ts: at(), pid: 100, slot: 0, generation: 0, code: 0, signal: null, reason: 'idle-kill' }));
    const v = st.state.instances.get('a')!;
    expect(v.slots).toBe('....');
    expect(v.lanes[0]).toMatchObject({ pid: 100, exitReason: 'idle-kill' });
    expect(v.lanes[0].exitedAt).not.toBeNull();
  });

  it('numbers finished requests, keeps who served them, and writes the access log', () => {
    const st = fresh();
    st.apply(events(spawn(0, 100), start(0, 100, '100-1', 1), end(0, 100, '100-1', 1, 0, 'keep'), start(0, 100, '100-1', 2), end(0, 100, '100-1', 2, 1, 'close')));
    const v = st.state.instances.get('a')!;
    expect(v.requests.map((r) => [r.n, r.pid, r.keepalive, r.connId, r.reqId])).toEqual([
      [1, 100, 0, '100-1', 1],
      [2, 100, 1, '100-1', 2],
    ]);
    expect(v.accessLog).toEqual(['100 100 0 + "GET / HTTP/1.1" 200', '100 100 1 - "GET / HTTP/1.1" 200']);
  });

  it('draws request bars and the kept-alive wait between them on the child’s lane', () => {
    const st = fresh();
    st.apply(events(spawn(0, 100), start(0, 100, '100-1', 1), end(0, 100, '100-1', 1, 0, 'keep'), start(0, 100, '100-1', 2), end(0, 100, '100-1', 2, 1, 'keep')));
    st.apply(events({ type: 'conn.close', ts: at(), pid: 100, tid: 100, slot: 0, thread: 0, connId: '100-1', requests: 2, reason: 'keepalive-timeout' }));
    const v = st.state.instances.get('a')!;
    expect(v.bars.map((b) => [b.kind, b.reqId ?? null, b.keepalive ?? null, b.end !== null])).toEqual([
      ['request', 1, 0, true],
      ['keepalive', null, null, true],
      ['request', 2, 1, true],
      ['keepalive', null, null, true],
    ]);
    expect(new Set(v.bars.map((b) => b.lane))).toEqual(new Set(['100:0']));
    const [, wait1, second] = v.bars;
    expect(wait1.end).toBe(second.start);
  });

  it('a request whose start it never saw is drawn back from its duration', () => {
    const st = fresh();
    st.apply(events(end(0, 100, '100-9', 1, 0, 'close')));
    const b = st.state.instances.get('a')!.bars[0];
    expect(b.end! - b.start).toBe(0.5);
  });

  it('counts what the stream dropped, and forgets an engine that exited', () => {
    const st = fresh();
    st.apply(events(spawn(0, 100)));
    st.apply({ type: 'dropped', instance: 'a', count: 42 });
    expect(st.state.instances.get('a')!.dropped).toBe(42);
    st.apply({ type: 'instance.exit', instance: 'a', code: 0, signal: null });
    expect(st.state.instances.has('a')).toBe(false);
  });

  it('catches up from a snapshot: workers, children and recent requests', () => {
    const st = new PlaygroundStore();
    st.apply({
      type: 'snapshot',
      ts: 1,
      instances: [
        {
          id: 'b', mpm: 'prefork', backend: 'node', port: 8080, pid: 7, state: 'running', generation: 1, config: 'StartServers 1',
          report: { ok: true, effective: [], diagnostics: [] },
          scoreboard: board('_..'),
          workers: { '0.0': ws(0, 200, '_') },
          children: [{ pid: 200, slot: 0, generation: 1 }],
          recent: [end(0, 200, '200-1', 1, 0, 'close')],
        },
      ],
    });
    const v = st.state.instances.get('b')!;
    expect(v).toMatchObject({ mpm: 'prefork', port: 8080, generation: 1, slots: '_..' });
    expect(v.requests).toHaveLength(1);
    expect(v.processes[0]).toMatchObject({ pid: 200, generation: 1 });
  });

  it('converts engine time to wall time with the clock from hello', () => {
    const st = fresh();
    expect(st.wallTime(1500)).toBe(1_700_000_000_000 + 1000);
  });

  it('formats %P %{tid}P %k %X "%r" %>s', () => {
    expect(accessLogLine(end(3, 9, '9-1', 1, 4, 'keep') as never)).toBe('9 9 4 + "GET / HTTP/1.1" 200');
  });
});
