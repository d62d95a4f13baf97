// One engine on either backend as a separate process, through the public CLI
// (`mpm-lab run --backend node|httpd [--events jsonl]`): its events, its stderr
// (the error log), its process tree — nothing the other backend could not give.
// Used by the fidelity harness and the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../platform/paths.js';
import { childrenOf, commOf } from '../platform/proc.js';
import { onLines } from '../platform/lines.js';
import type { EngineEvent } from '../protocol/events.js';

export type Backend = 'node' | 'httpd';

export interface RunningEngine {
  backend: Backend;
  port: number;
  events: EngineEvent[];
  stderr(): string;
  /** pids of the server's child processes (the node engine's or httpd's), from /proc */
  children(): number[];
  signal(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export async function startBackend(backend: Backend, mpm: string, sets: Record<string, string | number>, o: { events?: boolean; args?: string[] } = {}): Promise<RunningEngine> {
  // without events the engine builds none (a benchmark measures serving, not watching)
  const args = [path.join(projectRoot(), 'engine/bin/mpm-lab.js'), 'run', '--backend', backend, '--mpm', mpm, '--listen', '127.0.0.1:0', ...(o.events === false ? [] : ['--events', 'jsonl']), ...(o.args ?? [])];
  for (const [k, v] of Object.entries(sets)) args.push('--set', `${k}=${v}`);
  // only the experiment's own traffic may reach the server: no status polls
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MPM_LAB_HTTPD_STATUS_POLL: '0' } });
  const events: EngineEvent[] = [];
  let err = '';
  let serverPid = 0;
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${backend} ${mpm}: not listening after 20 s: ${err.slice(-500)}`)), 20_000);
    onLines(proc.stdout!, (line) => {
      if (line.startsWith('{')) {
        const e = JSON.parse(line) as EngineEvent;
        events.push(e);
        if (e.type === 'engine.state') serverPid = e.pid;
      }
      const m = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`${backend} ${mpm}: exited ${code}: ${err.slice(-500)}`));
    });
  });
  return {
    backend,
    port,
    events,
    stderr: () => err,
    // the node engine's parent is the process we started; httpd's is its child
    children: () => childrenOf(serverPid || (backend === 'httpd' ? (childrenOf(proc.pid!).find((c) => /^(apache2|httpd)$/.test(commOf(c))) ?? -1) : proc.pid!)),
    signal: (sig) => proc.kill(sig),
    stop: () => stop(proc),
  };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await done;
  clearTimeout(t);
}
