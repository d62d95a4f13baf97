// Idle memory per child and per thread, from /proc/<pid>/smaps_rollup, on the
// engine and on real httpd: a prefork child (USS = what one more child costs,
// PSS = its fair share of what children share), and a worker thread as the
// difference between children with ThreadsPerChild 25 and 1, per extra thread.
import { startBackend, type Backend } from '../cli/engine-process.js';
import { memoryOf, type Memory } from '../platform/proc.js';
import { median } from './load.js';

export interface MemoryRow {
  backend: Backend;
  /** median over the idle prefork children, kB */
  childUssKb: number;
  childPssKb: number;
  childRssKb: number;
  /** (USS of a worker child with 25 threads − with 1) ÷ 24, kB */
  threadUssKb: number;
  threadPssKb: number;
}

async function idleChildren(backend: Backend, mpm: string, sets: Record<string, number>): Promise<Memory[]> {
  const e = await startBackend(backend, mpm, { ...sets, LogLevel: 'warn' }, { events: false });
  try {
    // served a request each (code paths touched, as in a pool that has worked), then idle
    for (let i = 0; i < 8; i++) await fetch(`http://127.0.0.1:${e.port}/`).then((r) => r.arrayBuffer()).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1500));
    return e.children().map(memoryOf).filter((m): m is Memory => m !== null);
  } finally {
    await e.stop();
  }
}

const med = (ms: Memory[], k: keyof Memory) => median(ms.map((m) => m[k]));

export async function benchMemory(backends: Backend[], o: { threads: boolean } = { threads: true }): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const backend of backends) {
    const prefork = await idleChildren(backend, 'prefork', { StartServers: 4, MinSpareServers: 4, MaxSpareServers: 8 });
    const threads = (t: number) =>
      idleChildren(backend, 'worker', { StartServers: 2, ServerLimit: 4, ThreadsPerChild: t, ThreadLimit: Math.max(t, 25), MinSpareThreads: t, MaxSpareThreads: 4 * t, MaxRequestWorkers: 4 * t });
    const [one, many] = o.threads ? [await threads(1), await threads(25)] : [[], []];
    rows.push({
      backend,
      childUssKb: med(prefork, 'ussKb'),
      childPssKb: med(prefork, 'pssKb'),
      childRssKb: med(prefork, 'rssKb'),
      threadUssKb: (med(many, 'ussKb') - med(one, 'ussKb')) / 24,
      threadPssKb: (med(many, 'pssKb') - med(one, 'pssKb')) / 24,
    });
  }
  return rows;
}
