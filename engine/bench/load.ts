// The load generator: Apache's `ab` (Debian apache2-utils), not our own driver,
// so the engine is measured by the same client as httpd and node:cluster.
// Loopback only; every run is bounded by a time limit and a request count.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LoadResult {
  reqPerSec: number;
  /** latency percentiles of complete requests, ms (ab's -e table, µs resolution) */
  p50: number;
  p99: number;
  completed: number;
  failed: number;
  /** ab's kinds of failure; `length` is mostly a kept-alive connection the server closed (ab then reconnects) */
  failedBy: { connect: number; receive: number; length: number; exceptions: number };
}

export function findAb(): string | null {
  const r = spawnSync('ab', ['-V'], { encoding: 'utf8' });
  return r.status === 0 ? 'ab' : null;
}

/**
 * `ab -c C [-k] -t SECONDS` against 127.0.0.1:PORT/PATH. HTTP/1.0 without -k: a new connection per request.
 * Asynchronous: the server under test may live in this very process (the lab).
 */
export async function ab(port: number, o: { concurrency: number; keepalive: boolean; seconds: number; requests?: number; path?: string }): Promise<LoadResult> {
  const csv = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-ab-')), 'p.csv');
  // -t first: it implies -n 50000, which the -n after it raises (ab stops at whichever comes first)
  const args = ['-q', '-r', '-t', String(o.seconds), '-n', String(o.requests ?? 1_000_000), '-c', String(o.concurrency), '-e', csv, ...(o.keepalive ? ['-k'] : [])];
  const r = await run('ab', [...args, `http://127.0.0.1:${port}${o.path ?? '/'}`], (o.seconds + 30) * 1000);
  const num = (re: RegExp) => Number(re.exec(r.stdout)?.[1] ?? NaN);
  let pct: Map<number, number>;
  try {
    pct = parsePercentiles(fs.readFileSync(csv, 'utf8'));
  } catch {
    pct = new Map();
  } finally {
    fs.rmSync(path.dirname(csv), { recursive: true, force: true });
  }
  if (r.status !== 0) throw new Error(`ab failed: ${(r.stderr || r.stdout).trim().slice(-300)}`);
  return {
    reqPerSec: num(/Requests per second:\s+([\d.]+)/),
    p50: pct.get(50) ?? NaN,
    p99: pct.get(99) ?? NaN,
    completed: num(/Complete requests:\s+(\d+)/),
    failed: num(/Failed requests:\s+(\d+)/) + (num(/Non-2xx responses:\s+(\d+)/) || 0),
    failedBy: {
      connect: num(/\(Connect: (\d+),/) || 0,
      receive: num(/Receive: (\d+),/) || 0,
      length: num(/Length: (\d+),/) || 0,
      exceptions: num(/Exceptions: (\d+)\)/) || 0,
    },
  };
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (e) => (stderr += String(e)));
    p.on('close', (status) => {
      clearTimeout(t);
      resolve({ status, stdout, stderr });
    });
  });
}

/** ab's `-e` file: "Percentage served,Time in ms" then one "P,ms" row per percent. */
export function parsePercentiles(text: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of text.split('\n').slice(1)) {
    const m = /^(\d+),([\d.]+)$/.exec(line.trim());
    if (m) out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
