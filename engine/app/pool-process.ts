// The application pool as the MPM's companion process: `mpm-lab fpm` started
// beside the server (its own process tree, its log on our stderr in php-fpm's
// format), tied to us by an IPC lifeline, stopped with us.
import { spawn, type ChildProcess } from 'node:child_process';
import { binPath } from '../platform/paths.js';
import type { EngineEvent } from '../protocol/events.js';
import { onLines } from '../platform/lines.js';

export async function startPoolProcess(poolConfig: string, stderr: (line: string) => void, onEvent?: (e: EngineEvent) => void): Promise<{ proc: ChildProcess; port: number } | { error: string }> {
  const proc = spawn(process.execPath, [binPath(), 'fpm', '--config', poolConfig, '--listen', '127.0.0.1:0', ...(onEvent ? ['--events', 'jsonl'] : [])], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => {
    const text = d.toString();
    err += text;
    for (const l of text.split('\n')) if (l) stderr(l);
  });
  return new Promise((resolve) => {
    let ready = false;
    onLines(proc.stdout!, (line) => {
      // the pool's events join the server's stream
      if (line.startsWith('{')) onEvent?.(JSON.parse(line) as EngineEvent);
      const m = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
      if (m && !ready) {
        ready = true;
        resolve({ proc, port: Number(m[1]) });
      }
    });
    proc.on('exit', (code) => resolve({ error: `mpm-lab fpm exited (${code}): ${err.trim().split('\n').at(-1) ?? ''}` }));
  });
}

export async function stopPoolProcess(proc: ChildProcess | null): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await done;
}
