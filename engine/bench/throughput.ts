// Requests/s and latency of each MPM under `ab`, HTTP/1.0 (a new connection per
// request) and keep-alive, at c=1 and c=20, on the engine, on real httpd with the
// same MPM and directives, and (prefork row) on node:cluster with as many
// processes. All targets of an MPM run side by side and take turns, repetition
// by repetition, so a slow moment of the machine hits each of them alike.
import { ab, median, type LoadResult } from './load.js';
import { startTarget, type Target, type TargetKind } from './targets.js';

export type Mode = 'HTTP/1.0' | 'keep-alive';

export interface ThroughputCell extends LoadResult {
  mpm: string;
  mode: Mode;
  concurrency: number;
  target: TargetKind;
  /** req/s of every repetition; the cell reports the median one */
  samples: number[];
  /** processes serving when the cell ended */
  processes: number;
}

export interface ThroughputOptions {
  mpms: string[];
  targets: TargetKind[];
  concurrency: number[];
  seconds: number;
  reps: number;
  /** warm-up per target and cell: a request count for HTTP/1.0 (×10 for keep-alive), bounded by `seconds` too */
  warmup: number;
  onCell?: (c: ThroughputCell) => void;
}

export async function benchThroughput(o: ThroughputOptions): Promise<ThroughputCell[]> {
  const cells: ThroughputCell[] = [];
  for (const mpm of o.mpms) {
    const kinds = o.targets.filter((k) => k !== 'cluster' || mpm === 'prefork');
    const targets: Target[] = [];
    try {
      const started = await Promise.allSettled(kinds.map((k) => startTarget(k, mpm)));
      for (const t of started) if (t.status === 'fulfilled') targets.push(t.value); // stopped below, even if another failed
      for (const t of started) if (t.status === 'rejected') throw t.reason;
      await new Promise((r) => setTimeout(r, 1500)); // every pool is up and idle
      for (const concurrency of o.concurrency) {
        for (const mode of ['HTTP/1.0', 'keep-alive'] as Mode[]) {
          const run = (t: Target, requests?: number) => ab(t.port, { concurrency, keepalive: mode === 'keep-alive', seconds: o.seconds, requests });
          for (const t of targets) await run(t, mode === 'keep-alive' ? o.warmup * 10 : o.warmup); // warm-up: every child's JIT, pools, caches
          const runs = new Map<Target, LoadResult[]>(targets.map((t) => [t, []]));
          for (let i = 0; i < o.reps; i++) for (const t of targets) runs.get(t)!.push(await run(t));
          for (const t of targets) {
            const rs = runs.get(t)!;
            const mid = median(rs.map((r) => r.reqPerSec));
            const pick = rs.find((r) => r.reqPerSec === mid)!;
            const cell: ThroughputCell = {
              mpm,
              mode,
              concurrency,
              target: t.kind,
              ...pick,
              failed: rs.reduce((n, r) => n + r.failed, 0),
              samples: rs.map((r) => Math.round(r.reqPerSec)),
              processes: t.children().length,
            };
            cells.push(cell);
            o.onCell?.(cell);
          }
        }
      }
    } finally {
      await Promise.all(targets.map((t) => t.stop()));
    }
  }
  return cells;
}

/** engine ÷ other for the same MPM, mode and concurrency (NaN when the other did not run). */
export function ratio(cells: ThroughputCell[], c: ThroughputCell, other: TargetKind): number {
  const o = cells.find((x) => x.target === other && x.mode === c.mode && x.concurrency === c.concurrency && (other === 'cluster' || x.mpm === c.mpm));
  return o ? c.reqPerSec / o.reqPerSec : NaN;
}
