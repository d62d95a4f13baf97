// Property: whatever a page sends on the control socket, each message gets
// exactly one reply, an `error` (these never start or touch anything), and the
// lab keeps serving. 10,000 messages from a seeded generator: random JSON,
// broken JSON, and each request type broken one way (a bad id, a missing or
// mistyped field, an out-of-range value, an instance or session that does not
// exist). The seed is printed on failure, so a failing case can be replayed.
import WebSocket from 'ws';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep } from '../helpers/engine.js';
import { client, startLab, stopLabs } from '../helpers/lab.js';

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}
type R = ReturnType<typeof rng>;

const STRINGS = ['', 'a', 'prefork', 'zz', '../../etc/passwd', 'x'.repeat(70), '\u0000', '\u{1F600}', '<script>', 'null', '-1'];
function value(r: R, depth = 0): unknown {
  switch (r.int(depth > 3 ? 5 : 7)) {
    case 0: return null;
    case 1: return r.next() < 0.5;
    case 2: return r.pick([0, -1, 1.5, 1e308, -0, 2 ** 53, NaN]);
    case 3: return r.pick(STRINGS);
    case 4: return r.int(100000);
    case 5: return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(['type', 'id', 'instance', 'steps', 'mpm', 'x']), value(r, depth + 1)]));
  }
}

const BAD_ID = [true, {}, [], 1.5, 'i'.repeat(65), null];
/** One request type, broken one way (never valid as a whole). */
function broken(r: R, n: number): unknown {
  const id = n;
  const badId = r.pick(BAD_ID);
  const cases: Array<() => Record<string, unknown>> = [
    () => ({ type: 'engine.start', id, mpm: r.pick(['apache1', '', 3, null]) }),
    () => ({ type: 'engine.start', id, mpm: 'prefork', config: r.pick([5, [], { a: 1 }]) }),
    () => ({ type: 'engine.start', id, mpm: 'prefork', sets: Array.from({ length: 51 }, () => 'A=1') }),
    () => ({ type: 'engine.stop', id, instance: r.pick(['zz', 'nope']) }),
    () => ({ type: 'engine.stop', id }),
    () => ({ type: 'engine.restart', id, instance: 'zz', mode: r.pick(['soft', 1, null]) }),
    () => ({ type: 'engine.apply', id, instance: 'zz', config: 'StartServers 2' }),
    () => ({ type: 'config.check', id, mpm: r.pick(['x', 7]), config: '' }),
    () => ({ type: 'child.kill', id, instance: 'zz', pid: r.pick([1, 12345]) }),
    () => ({ type: 'child.kill', id, instance: 'zz', pid: r.pick([-1, 0, 1.5, 'x']) }),
    () => ({ type: 'child.kill', id, instance: 'zz', pid: 5, signal: r.pick(['SIGSTOP', 'KILL', 9]) }),
    () => ({ type: 'instance.memory', id, instance: r.pick(['zz', '', 'x'.repeat(17)]) }),
    () => ({ type: 'drive', id, instance: 'zz', steps: [{ mode: 'burst', connections: r.pick([0, 5000, -1]), requests: 1 }] }),
    () => ({ type: 'drive', id, instance: 'zz', steps: r.pick([[], 'x', null]) }),
    () => ({ type: 'drive', id, instance: 'zz', steps: [{ mode: 'sequential', n: 2, version: '1.0' }] }),
    () => ({ type: 'record.start', id, name: r.pick(['../x', 'a b', '', 'x'.repeat(65)]) }),
    () => ({ type: 'traces.get', id, name: r.pick(['../../etc/passwd', 'x.txt', '.jsonl', 5]) }),
    () => ({ type: 'raw.open', id, instance: 'zz' }),
    () => ({ type: 'raw.send', id, session: 'nope', data: 'GET / HTTP/1.0\r\n\r\n' }),
    () => ({ type: 'raw.send', id, session: 'nope', data: 'x'.repeat(70_000) }),
    () => ({ type: 'raw.close', id, session: r.pick(['nope', 5]) }),
    () => ({ type: r.pick(['snapshot', 'record.stop', 'traces.list', 'subscribe', 'unsubscribe']), id: badId }),
    () => ({ type: r.pick(['explode', '', 'ENGINE.START', 'constructor', '__proto__']), id }),
  ];
  return r.pick(cases)();
}

function message(r: R, n: number): string {
  const p = r.next();
  if (p < 0.1) return r.pick(['{not json', '{"type":', '', ' ', '"str"', '{"type":"snapshot","id":1', '\u0000\u0001']);
  if (p < 0.35) {
    const v = value(r);
    // a random value that happens to be a valid request is not what this tests: make sure it has no valid id
    return JSON.stringify(v && typeof v === 'object' && !Array.isArray(v) ? { ...v, id: r.pick(BAD_ID) } : v) ?? 'null';
  }
  return JSON.stringify(broken(r, n));
}

/** Used heap after a full collection (this process: the test lab and its clients). */
function heapAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('control socket fuzzing', () => {
  afterAll(stopLabs);

  it('10,000 generated messages: one error reply each, nothing started, the lab still serving', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 100000);
    const r = rng(seed);
    const t = await startLab();
    const c = await client(t);
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}/control?token=${t.token}`, { headers: { Origin: t.origin } });
    await new Promise((res) => ws.on('open', res));
    // counted, not kept: the heap measured below is the lab's (it runs in this process)
    let replies = 0;
    const notErrors: unknown[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d));
      if (m.type === 'error' || m.type === 'result') replies++;
      if (m.type === 'result') notErrors.push(m);
    });
    const N = 10_000;
    const WARM = 2_000;
    const settle = async (n: number) => {
      const deadline = Date.now() + 30_000;
      while (replies < n && Date.now() < deadline) await sleep(20);
    };
    let heapWarm = 0;
    for (let i = 0; i < N; i++) {
      ws.send(message(r, i));
      if (i % 500 === 499) while (replies < i - 200) await sleep(5); // keep a bounded number in flight
      if (i === WARM - 1) {
        await settle(WARM);
        heapWarm = heapAfterGc();
      }
    }
    await settle(N);
    expect(replies, `seed ${seed}`).toBe(N);
    expect(notErrors, `seed ${seed}`).toEqual([]);
    // memory flat: 8,000 more bad messages leave nothing behind in the lab's heap
    const growth = heapAfterGc() - heapWarm;
    expect(growth, `seed ${seed}: heap grew ${(growth / 1e6).toFixed(2)} MB`).toBeLessThan(1_500_000);
    expect(ws.readyState, `seed ${seed}`).toBe(WebSocket.OPEN);
    // nothing was started, and the lab answers as before
    const snap = await c.request<{ instances: unknown[] }>({ type: 'snapshot' });
    expect(snap.instances).toEqual([]);
    ws.close();
    c.close();
  }, 90_000);
});
