// The fidelity catalogue: experiments run with the same config against both
// backends. Each reduces what it saw to a *pattern* (a short string) — never
// raw pids or timings — so real httpd and the engine can be compared.
import net from 'node:net';
import { drive } from '../lab/driver.js';
import { DriverStep, type DriverStepInput, type DriverStepResult } from '../protocol/messages.js';
import type { RunningEngine } from '../cli/engine-process.js';

export interface Experiment {
  name: string;
  /** what it shows, for the table */
  what: string;
  mpm: 'prefork' | 'worker' | 'event';
  sets: Record<string, string | number>;
  /** /app/: a pool config (php-fpm syntax) for MPM Lab's pool and for real php-fpm, or mod_php */
  app?: string;
  run(e: RunningEngine): Promise<string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const step = async (e: RunningEngine, s: DriverStepInput): Promise<DriverStepResult> => (await drive(e.port, [DriverStep.parse(s)]))[0];
const distinct = (xs: Array<unknown>) => new Set(xs).size;

/** request.end events of real requests (not the parent's dummy OPTIONS *), from `from` on. */
function ends(e: RunningEngine, from = 0) {
  return e.events.slice(from).filter((x) => x.type === 'request.end' && x.request !== 'OPTIONS * HTTP/1.0') as Array<Extract<RunningEngine['events'][number], { type: 'request.end' }>>;
}

/** The first line of the console/error log matching `re`, waiting for it a little (startup warnings come first, but through a pipe). */
async function logLine(e: RunningEngine, re: RegExp, ms = 3000): Promise<string | null> {
  const end = Date.now() + ms;
  for (;;) {
    const m = re.exec(e.stderr());
    if (m || Date.now() > end) return m ? m[0].trim() : null;
    await sleep(50);
  }
}

async function waitEnds(e: RunningEngine, n: number, from = 0, ms = 5000) {
  const end = Date.now() + ms;
  while (ends(e, from).length < n && Date.now() < end) await sleep(50);
  return ends(e, from);
}

/** Sizes of the spawn bursts in (time, children) samples: increases less than 500 ms apart are one burst. */
export function bursts(samples: Array<[number, number]>): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (let i = 1; i < samples.length; i++) {
    const grew = samples[i][1] - samples[i - 1][1];
    if (grew <= 0) continue;
    if (samples[i][0] - last < 500) out[out.length - 1] += grew;
    else out.push(grew);
    last = samples[i][0];
  }
  return out;
}

/** Children counted every 50 ms for 6.5 s, as spawn bursts: "spawned 1,2,4,8 (16 children)". */
async function spawnRamp(e: RunningEngine): Promise<string> {
  const samples: Array<[number, number]> = [];
  const t0 = Date.now();
  while (Date.now() - t0 < 6500) {
    samples.push([Date.now(), e.children().length]);
    await sleep(50);
  }
  return `spawned ${bursts(samples).join(',')} (${samples[samples.length - 1][1]} children)`;
}

/** The AH ids of the error log / console, in order of first appearance. */
function ahIds(text: string, only: RegExp): string {
  const ids = [...new Set(text.match(/AH\d{5}/g) ?? [])].filter((id) => only.test(id));
  return ids.join(',') || 'none';
}

/** One raw exchange: the status line and whether some headers are present. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    let buf = '';
    s.setTimeout(5000, () => s.destroy());
    s.on('data', (d) => (buf += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => resolve(buf));
  });
}

const PREFORK3 = { StartServers: 3, MinSpareServers: 1, MaxSpareServers: 5 };
const SMALL_THREADED = { StartServers: 1, ThreadsPerChild: 4, MinSpareThreads: 1, MaxSpareThreads: 8 };
const SIGNATURE = { StartServers: 1, ServerLimit: 1, ThreadsPerChild: 2, ThreadLimit: 2, MaxRequestWorkers: 2, MinSpareThreads: 1, MaxSpareThreads: 4, KeepAliveTimeout: 10 };

async function signature(e: RunningEngine): Promise<string> {
  await sleep(1500);
  const held: net.Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const s = net.connect(e.port, '127.0.0.1');
    await new Promise<void>((r) => s.once('connect', () => r()));
    s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((r) => s.once('data', () => r()));
    held.push(s);
  }
  const t0 = Date.now();
  const reply = await Promise.race([raw(e.port, 'GET / HTTP/1.0\r\n\r\n'), sleep(1500).then(() => '')]);
  const served = reply.startsWith('HTTP/1.1 200') && Date.now() - t0 < 1500;
  for (const s of held) s.destroy();
  return served ? 'new connection served at once' : 'new connection waits';
}

export const CATALOGUE: Experiment[] = [
  {
    name: 'prefork-rotation',
    what: '9 sequential HTTP/1.0 requests: how many children serve them',
    mpm: 'prefork',
    sets: PREFORK3,
    async run(e) {
      await sleep(1500);
      const r = await step(e, { mode: 'sequential', n: 9, version: '1.0' });
      return `${distinct(r.requests.map((x) => x.pid))} distinct pids`;
    },
  },
  {
    name: 'prefork-keepalive-pin',
    what: '5 requests on one keep-alive connection: one child; %k and %X',
    mpm: 'prefork',
    sets: PREFORK3,
    async run(e) {
      await sleep(1000);
      const from = e.events.length;
      const r = await step(e, { mode: 'keepalive', n: 5, thinkMs: 20 });
      const l = await waitEnds(e, 5, from);
      return `${distinct(r.requests.map((x) => x.pid))} pid; %k ${l.map((x) => x.keepalive).join(',')}; %X ${l.map((x) => x.connStatus).join('')}`;
    },
  },
  {
    name: 'http10-keepalive',
    what: 'HTTP/1.0 keeps the connection only when asked (Connection: keep-alive)',
    mpm: 'prefork',
    sets: PREFORK3,
    async run(e) {
      const asked = await raw(e.port, 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n');
      const plain = await raw(e.port, 'GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n');
      const count = (s: string) => (s.match(/^HTTP\/1\.1 200/gm) ?? []).length;
      const conn = (s: string) => /\r\nConnection: ([^\r]+)/.exec(s)?.[1] ?? '-';
      return `asked: ${count(asked)} responses, Connection ${conn(asked)}; plain: ${count(plain)} response, Connection ${conn(plain)}`;
    },
  },
  {
    name: 'max-keepalive-requests',
    what: 'MaxKeepAliveRequests 3 allows 3 + 1 requests on a connection',
    mpm: 'prefork',
    sets: { ...PREFORK3, MaxKeepAliveRequests: 3 },
    async run(e) {
      const reply = await raw(e.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(6));
      // each response head: from its status line to the blank line
      const heads = [...reply.matchAll(/HTTP\/1\.1 \d{3}[^]*?\r\n\r\n/g)].map((m) => m[0]);
      const closeAt = heads.findIndex((h) => /\r\nConnection: close/i.test(h));
      return `${heads.length} responses, Connection: close on #${closeAt + 1}`;
    },
  },
  {
    name: 'keepalive-timeout',
    what: 'KeepAliveTimeout 1: an idle connection is closed by the server after ~1 s',
    mpm: 'prefork',
    sets: { ...PREFORK3, KeepAliveTimeout: 1 },
    async run(e) {
      const s = net.connect(e.port, '127.0.0.1');
      await new Promise<void>((r) => s.once('connect', () => r()));
      s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise<void>((r) => s.once('data', () => r()));
      const t0 = Date.now();
      const closedIn = await Promise.race([new Promise<number>((r) => s.once('close', () => r(Date.now() - t0))), sleep(4000).then(() => -1)]);
      s.destroy();
      return closedIn < 0 ? 'not closed in 4 s' : closedIn < 700 ? 'closed too early' : closedIn < 2500 ? 'closed after ~1 s' : 'closed late';
    },
  },
  {
    name: 'spare-ramp',
    what: 'MinSpareServers 10 from 1 child: spawns per maintenance second (1, 2, 4, 8)',
    mpm: 'prefork',
    sets: { StartServers: 1, MinSpareServers: 10, MaxSpareServers: 20 },
    run: (e) => spawnRamp(e),
  },
  {
    name: 'worker-spare-ramp',
    what: 'worker, 2 threads per child, MinSpareThreads 20 from 1 child: child spawns per second (1, 2, 4, 8)',
    mpm: 'worker',
    sets: { StartServers: 1, ThreadsPerChild: 2, MinSpareThreads: 20, MaxSpareThreads: 40, ServerLimit: 16, MaxRequestWorkers: 32 },
    run: (e) => spawnRamp(e),
  },
  {
    name: 'idle-kill',
    what: 'MaxSpareServers 2 with 6 children: one idle child stopped per second',
    mpm: 'prefork',
    sets: { StartServers: 6, MinSpareServers: 1, MaxSpareServers: 2 },
    async run(e) {
      await sleep(1200);
      const a = e.children().length;
      await sleep(1000);
      const b = e.children().length;
      await sleep(4500);
      return `${a - b <= 1 ? 'at most one per second' : `${a - b} in one second`}; ${e.children().length} children at rest`;
    },
  },
  {
    name: 'ah00161',
    what: 'MaxRequestWorkers 2 with 3 slow requests: AH00161 once, the third waits and is served',
    mpm: 'prefork',
    sets: { StartServers: 1, MinSpareServers: 1, MaxSpareServers: 2, MaxRequestWorkers: 2 },
    async run(e) {
      await sleep(1000);
      const r = await step(e, { mode: 'burst', connections: 3, requests: 1, path: '/sleep?ms=2500' });
      await sleep(500);
      const n = (e.stderr().match(/AH00161/g) ?? []).length;
      return `AH00161 ×${n}; ${r.requests.filter((x) => x.status === 200).length} of 3 served`;
    },
  },
  {
    name: 'max-connections-per-child',
    what: 'MaxConnectionsPerChild 2: the child leaves after 2 connections',
    mpm: 'prefork',
    sets: { StartServers: 1, MinSpareServers: 1, MaxSpareServers: 2, MaxConnectionsPerChild: 2 },
    async run(e) {
      await sleep(1000);
      const pids: number[] = [];
      for (let i = 0; i < 2; i++) pids.push((await step(e, { mode: 'single', version: '1.0' })).requests[0].pid ?? 0);
      await sleep(2500);
      pids.push((await step(e, { mode: 'single', version: '1.0' })).requests[0].pid ?? 0);
      return pids[0] === pids[1] && pids[2] !== pids[0] ? 'same child twice, then another' : 'other';
    },
  },
  {
    name: 'worker-thread-pin',
    what: 'worker: 5 keep-alive requests on one thread',
    mpm: 'worker',
    sets: SMALL_THREADED,
    async run(e) {
      await sleep(1500);
      const r = await step(e, { mode: 'keepalive', n: 5, thinkMs: 30 });
      return `${distinct(r.requests.map((x) => x.pid))} pid, ${distinct(r.requests.map((x) => x.tid))} tid`;
    },
  },
  {
    name: 'event-thread-hop',
    what: 'event: 8 keep-alive requests, threads may change between requests',
    mpm: 'event',
    sets: SMALL_THREADED,
    async run(e) {
      await sleep(1500);
      const r = await step(e, { mode: 'keepalive', n: 8, thinkMs: 30 });
      return `${distinct(r.requests.map((x) => x.pid))} pid, ${distinct(r.requests.map((x) => x.tid)) > 1 ? 'several tids' : 'one tid'}`;
    },
  },
  {
    name: 'signature-worker',
    what: 'worker, 2 threads, 2 idle keep-alive connections: a new connection',
    mpm: 'worker',
    sets: SIGNATURE,
    run: signature,
  },
  {
    name: 'signature-event',
    what: 'event, 2 threads, 2 idle keep-alive connections: a new connection',
    mpm: 'event',
    sets: SIGNATURE,
    run: signature,
  },
  {
    name: 'graceful-generation',
    what: 'SIGUSR1: new children answer with the next generation',
    mpm: 'prefork',
    sets: PREFORK3,
    async run(e) {
      await sleep(1000);
      const before = (await step(e, { mode: 'single', version: '1.0' })).requests[0].generation;
      e.signal('SIGUSR1');
      await sleep(2500);
      const after = (await step(e, { mode: 'sequential', n: 3, version: '1.0' })).requests.map((x) => x.generation);
      return `${before} → ${[...new Set(after)].join(',')}; ${ahIds(e.stderr(), /^AH0017[01]$/)}`;
    },
  },
  {
    name: 'crash',
    what: '/crash: the child dies by SIGSEGV, AH00052',
    mpm: 'prefork',
    sets: PREFORK3,
    async run(e) {
      await sleep(1000);
      await step(e, { mode: 'single', path: '/crash', version: '1.0' }).catch(() => null);
      const line = await logLine(e, /AH00052: child pid \d+ exit signal [^\n]+/);
      return line ? line.replace(/child pid \d+ /, '') : 'no AH00052';
    },
  },
  {
    name: 'clamp-prefork',
    what: 'prefork MaxRequestWorkers 300 > ServerLimit 256: AH00180',
    mpm: 'prefork',
    sets: { ...PREFORK3, MaxRequestWorkers: 300 },
    async run(e) {
      return (await logLine(e, /AH00180: [^\n]+/)) ?? 'no AH00180';
    },
  },
  {
    name: 'clamp-worker',
    what: 'worker MaxRequestWorkers 10 with ThreadsPerChild 3: AH00316',
    mpm: 'worker',
    sets: { StartServers: 1, ThreadsPerChild: 3, MaxRequestWorkers: 10, MinSpareThreads: 1, MaxSpareThreads: 9 },
    async run(e) {
      return (await logLine(e, /AH00316: [^\n]+/)) ?? 'no AH00316';
    },
  },
  {
    name: 'event-admission',
    what: 'event, ThreadsPerChild 2, factor 2, one child: connections accepted before it stops listening',
    mpm: 'event',
    sets: { ...SIGNATURE, AsyncRequestWorkerFactor: 2 },
    async run(e) {
      await sleep(1500);
      const held: net.Socket[] = [];
      let served = 0;
      for (let i = 0; i < 8; i++) {
        const s = net.connect(e.port, '127.0.0.1');
        held.push(s);
        await new Promise<void>((r) => s.once('connect', () => r()));
        s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
        const got = await Promise.race([new Promise<boolean>((r) => s.once('data', () => r(true))), sleep(800).then(() => false)]);
        if (got) served++;
        // the worker that answered is idle again only once it has handed the connection
        // back to the listener: without this pause httpd sometimes counts one idle worker
        // fewer (ThreadsPerChild + factor × idlers) and stops at 4
        await sleep(200);
      }
      for (const s of held) s.destroy();
      return `${served} of 8 kept-alive connections served`;
    },
  },
  {
    name: 'bad-method',
    what: 'an unknown method: 501 with Allow, the child survives',
    mpm: 'prefork',
    sets: PREFORK3,
    async run(e) {
      const reply = await raw(e.port, 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n');
      const ok = await raw(e.port, 'GET / HTTP/1.0\r\n\r\n');
      // (httpd lists Allow in the order of an APR hash, which changes from run to run: compare the set)
      const allow = (/\r\nAllow: ([^\r]+)/.exec(reply)?.[1] ?? '-').split(',').sort().join(',');
      return `${reply.split('\r\n')[0]}; Allow {${allow}}; next ${ok.split('\r\n')[0]}`;
    },
  },
];
