// What a benchmark runs against: the MPM Lab engine, real httpd with the same
// MPM and directives, or node:cluster with as many processes. Each is a
// separate process tree on 127.0.0.1, started and stopped the same way.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startBackend, type RunningEngine } from '../cli/engine-process.js';
import { projectRoot } from '../platform/paths.js';
import { childrenOf } from '../platform/proc.js';

export type TargetKind = 'engine' | 'httpd' | 'cluster';

export interface Target {
  kind: TargetKind;
  port: number;
  /** the server's child processes (workers), from /proc */
  children(): number[];
  stop(): Promise<void>;
}

/**
 * Directives per MPM, equal on both backends: room for 20 concurrent clients
 * with spares left, as an admin would size it — so the pool does not grow
 * during a run (spawning is measured on its own).
 */
export const BENCH_CONFIG: Record<string, Record<string, string | number>> = {
  prefork: { StartServers: 25, MinSpareServers: 5, MaxSpareServers: 40, MaxRequestWorkers: 40 },
  worker: { StartServers: 2, ThreadsPerChild: 25, MinSpareThreads: 25, MaxSpareThreads: 75 },
  event: { StartServers: 2, ThreadsPerChild: 25, MinSpareThreads: 25, MaxSpareThreads: 75 },
};
const COMMON = { MaxKeepAliveRequests: 0, LogLevel: 'warn' };

/** The node:cluster peer of the prefork row: as many processes as prefork starts. */
export const clusterProcesses = (): number => Number(BENCH_CONFIG.prefork.StartServers);

export async function startTarget(kind: TargetKind, mpm: string): Promise<Target> {
  if (kind === 'cluster') return startCluster(clusterProcesses());
  const e: RunningEngine = await startBackend(kind === 'engine' ? 'node' : 'httpd', mpm, { ...BENCH_CONFIG[mpm], ...COMMON }, { events: false });
  return { kind, port: e.port, children: e.children, stop: e.stop };
}

async function startCluster(n: number): Promise<Target> {
  // compiled, like every process we start (this module may itself run from source under the test runner)
  const proc = spawn(process.execPath, [path.join(projectRoot(), 'build/engine/bench/cluster-server.js'), String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`node:cluster exited (${code}) before listening`)));
  });
  return {
    kind: 'cluster',
    port,
    children: () => childrenOf(proc.pid!),
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await done;
    },
  };
}
