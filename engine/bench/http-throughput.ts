// Requests/s and p99 of each MPM under `ab -c 20`, HTTP/1.0 (a new connection
// per request) and keep-alive. The load generator is Apache's `ab`, not our
// driver. Loopback only, a fixed number of requests per run, median of runs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../platform/paths.js';

export interface ThroughputRow {
  mpm: string;
  mode: 'HTTP/1.0' | 'keep-alive';
  reqPerSec: number;
  p50: number;
  p99: number;
  failed: number;
}

const CONFIG: Record<string, Record<string, number>> = {
  // room for 20 concurrent clients in each, as an admin would size it
  prefork: { StartServers: 20, MinSpareServers: 20, MaxSpareServers: 40, MaxRequestWorkers: 40 },
  worker: { StartServers: 2, ThreadsPerChild: 25, MinSpareThreads: 25, MaxSpareThreads: 75 },
  event: { StartServers: 2, ThreadsPerChild: 25, MinSpareThreads: 25, MaxSpareThreads: 75 },
};

export function findAb(): string | null {
  const r = spawnSync('ab', ['-V'], { encoding: 'utf8' });
  return r.status === 0 ? 'ab' : null;
}

function startEngine(mpm: string): Promise<{ proc: ChildProcess; port: number }> {
  const sets = Object.entries({ ...CONFIG[mpm], MaxKeepAliveRequests: 0, LogLevel: 'warn' }).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const proc = spawn(process.execPath, [path.join(projectRoot(), 'engine/bin/mpm-lab.js'), 'run', '--mpm', mpm, '--listen', '127.0.0.1:0', ...sets], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`engine exited (${code}) before listening: ${out}`)));
  });
}

async function stopEngine(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await done;
}

/** One `ab` run: req/s, p50, p99 (ms), failed. */
function ab(port: number, n: number, keepalive: boolean): Omit<ThroughputRow, 'mpm' | 'mode'> {
  const r = spawnSync('ab', ['-q', '-n', String(n), '-c', '20', ...(keepalive ? ['-k'] : []), `http://127.0.0.1:${port}/`], { encoding: 'utf8', timeout: 120_000 });
  const num = (re: RegExp) => Number(re.exec(r.stdout)?.[1] ?? NaN);
  return {
    reqPerSec: num(/Requests per second:\s+([\d.]+)/),
    p50: num(/\s50%\s+(\d+)/),
    p99: num(/\s99%\s+(\d+)/),
    failed: num(/Failed requests:\s+(\d+)/),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchThroughput({ quick = false } = {}): Promise<ThroughputRow[]> {
  const n = quick ? 2000 : 10_000;
  const runs = quick ? 1 : 3;
  const rows: ThroughputRow[] = [];
  for (const mpm of ['prefork', 'worker', 'event']) {
    const { proc, port } = await startEngine(mpm);
    const stop = () => proc.kill('SIGKILL');
    process.once('exit', stop);
    try {
      await new Promise((r) => setTimeout(r, 1500)); // the pool is up
      for (const keepalive of [false, true]) {
        ab(port, Math.min(n, 1000), keepalive); // warm-up
        const samples = Array.from({ length: runs }, () => ab(port, n, keepalive));
        const pick = samples.find((s) => s.reqPerSec === median(samples.map((x) => x.reqPerSec)))!;
        rows.push({ mpm, mode: keepalive ? 'keep-alive' : 'HTTP/1.0', ...pick, failed: samples.reduce((t, s) => t + s.failed, 0) });
      }
    } finally {
      process.off('exit', stop);
      await stopEngine(proc);
    }
  }
  return rows;
}
