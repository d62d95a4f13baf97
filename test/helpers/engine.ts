// Start a real engine (`mpm-lab run --events jsonl` on port 0) for a test, read
// its events and error_log, and make sure every process it started is gone at
// the end — checked through /proc, not assumed.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineEvent, type EventOf } from '../../engine/protocol/events.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'engine/bin/mpm-lab.js');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Engine {
  proc: ChildProcess;
  pid: number;
  port: number;
  events: EngineEvent[];
  stderr: () => string;
  /** resolves with the first event (from `from` on) matching; rejects after timeoutMs */
  waitFor<T extends EngineEvent['type']>(type: T, pred?: (e: EventOf<T>) => boolean, timeoutMs?: number, from?: number): Promise<EventOf<T>>;
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
  /** resolves once n workers (prefork: children) are idle (`_`) at the same time, per the worker.status stream */
  waitIdle(n: number, timeoutMs?: number): Promise<void>;
  of<T extends EngineEvent['type']>(type: T): EventOf<T>[];
  /** pids of the engine's children, from /proc */
  children(): number[];
  signal(sig: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const running = new Set<Engine>();

export { childrenOf, pidAlive } from '../../engine/platform/proc.js';
import { childrenOf, pidAlive } from '../../engine/platform/proc.js';

export async function startEngine(args: string[] = [], { ready = true }: { ready?: boolean } = {}): Promise<Engine> {
  const proc = spawn(process.execPath, [BIN, 'run', '--mpm', 'prefork', '--listen', '127.0.0.1:0', '--events', 'jsonl', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: EngineEvent[] = [];
  let err = '';
  let out = '';
  let port = 0;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((f) => f());
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    let i;
    while ((i = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, i);
      out = out.slice(i + 1);
      // every event must match the shared protocol schema (DESIGN §4), or the test fails
      if (line.startsWith('{')) events.push(EngineEvent.parse(JSON.parse(line)));
      else {
        const m = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
        if (m && !port) port = Number(m[1]);
      }
    }
    notify();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    notify();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      notify();
      resolve({ code, signal });
    }),
  );
  let isExited = false;
  void exited.then(() => (isExited = true));

  const until = <T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const v = probe();
        if (v !== undefined) {
          done();
          resolve(v);
        } else if (isExited && what !== 'exit') {
          done();
          reject(new Error(`engine exited while waiting for ${what}; stderr:\n${err.slice(-1500)}`));
        }
      };
      const t = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr:\n${err.slice(-1500)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  const engine: Engine = {
    proc,
    pid: proc.pid!,
    get port() {
      return port;
    },
    events,
    stderr: () => err,
    waitFor(type, pred = () => true, timeoutMs = 10_000, from = 0) {
      return until(() => events.slice(from).find((e) => e.type === type && pred(e as never)) as never, timeoutMs, `event ${type}`);
    },
    waitForLog(re, timeoutMs = 10_000) {
      return until(() => err.split('\n').find((l) => re.test(l)), timeoutMs, `log ${re}`);
    },
    async waitIdle(n, timeoutMs = 10_000) {
      await until(() => {
        const now = new Map<string, string>();
        for (const ev of events) if (ev.type === 'worker.status') now.set(`${ev.slot}.${ev.thread}`, ev.status);
        return [...now.values()].filter((st) => st === '_').length >= n ? true : undefined;
      }, timeoutMs, `${n} idle workers`);
    },
    of(type) {
      return events.filter((e) => e.type === type) as never;
    },
    children: () => childrenOf(proc.pid!),
    signal(sig) {
      proc.kill(sig);
    },
    exited,
    async stop() {
      running.delete(engine);
      const kids = childrenOf(proc.pid!);
      if (!isExited) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 12_000);
        await exited;
        clearTimeout(t);
      }
      // the engine must not leave children behind; if it did, kill them and fail
      await sleep(50);
      const left = kids.filter(pidAlive);
      for (const k of left) process.kill(k, 'SIGKILL');
      if (left.length) throw new Error(`engine left children alive after it exited: ${left.join(' ')}`);
    },
  };
  running.add(engine);
  if (ready) await until(() => (port ? port : undefined), 15_000, 'listening line');
  return engine;
}

/** Stop every engine a test left running (use in afterEach). */
export async function stopAll(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.all(all.map((e) => e.stop()));
}
