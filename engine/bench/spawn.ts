// How fast the engine brings children up: from the parent's fork (child.spawn)
// to the child's first SERVER_READY (worker.status "_"), both stamped with
// CLOCK_MONOTONIC where they happened. Two runs:
// - the spare ramp (MinSpareServers far above StartServers): maintenance forks
//   1,2,4,8,16,32,32… per second; the 32-child seconds show whether we keep up
//   with httpd's MAX_SPAWN_RATE;
// - StartServers N at once (httpd forks them without a rate limit): how many
//   children per second the machine can bring up at all.
import { startBackend } from '../cli/engine-process.js';
import { MAX_SPAWN_RATE } from '../mpm/prefork/maintenance.js';
import type { EngineEvent } from '../protocol/events.js';

export interface SpawnResult {
  /** spawn → ready latency over every child of both runs, ms */
  p50: number;
  p99: number;
  children: number;
  /** ramp: the children of the MAX_SPAWN_RATE passes ÷ (their first fork → the last of them ready) */
  sustainedPerSec: number;
  /** ramp: children forked per maintenance second, in order (1,2,4,…) */
  bursts: number[];
  /** StartServers N: N ÷ (first fork → last ready) */
  capacityPerSec: number;
  capacityChildren: number;
  maxSpawnRate: number;
}

interface Spawned {
  pid: number;
  forkAt: number;
  readyAt: number;
}

function spawned(events: EngineEvent[]): Spawned[] {
  const out = new Map<number, Spawned>();
  for (const e of events) {
    if (e.type === 'child.spawn') out.set(e.pid, { pid: e.pid, forkAt: e.ts, readyAt: NaN });
    else if (e.type === 'worker.status' && e.status === '_') {
      const s = out.get(e.pid);
      if (s && Number.isNaN(s.readyAt)) s.readyAt = e.ts;
    }
  }
  return [...out.values()];
}

async function runUntilReady(sets: Record<string, number>, want: number, limitMs: number): Promise<Spawned[]> {
  const e = await startBackend('node', 'prefork', { ...sets, LogLevel: 'warn' }, { args: ['--max-processes', String(want + 8)] });
  try {
    const t0 = Date.now();
    while (Date.now() - t0 < limitMs && spawned(e.events).filter((s) => !Number.isNaN(s.readyAt)).length < want) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return spawned(e.events);
  } finally {
    await e.stop();
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
};

export async function benchSpawn({ quick = false } = {}): Promise<SpawnResult> {
  // the ramp: 1 at startup, then 1,2,4,8,16,32 (+32 +32 in the full run)
  const rampTarget = quick ? 64 : 128;
  const ramp = await runUntilReady(
    { StartServers: 1, MinSpareServers: rampTarget, MaxSpareServers: rampTarget + 32, MaxRequestWorkers: rampTarget + 32, ServerLimit: rampTarget + 32 },
    rampTarget,
    20_000,
  );
  // group forks into maintenance passes (one per second; a burst is forked within a few ms)
  const passes: Spawned[][] = [];
  for (const s of [...ramp].sort((a, b) => a.forkAt - b.forkAt)) {
    const last = passes.at(-1);
    if (last && s.forkAt - last[0].forkAt < 500) last.push(s);
    else passes.push([s]);
  }
  const full = passes.filter((p) => p.length >= MAX_SPAWN_RATE);
  const fullKids = full.flat();
  const sustainedPerSec = fullKids.length && fullKids.every((s) => !Number.isNaN(s.readyAt))
    ? (fullKids.length / (Math.max(...fullKids.map((s) => s.readyAt)) - full[0][0].forkAt)) * 1000
    : NaN;

  const n = quick ? 32 : 64;
  const burst = await runUntilReady({ StartServers: n, MinSpareServers: 1, MaxSpareServers: n, MaxRequestWorkers: n, ServerLimit: n }, n, 20_000);
  const ready = burst.filter((s) => !Number.isNaN(s.readyAt));
  const capacityPerSec = (ready.length / (Math.max(...ready.map((s) => s.readyAt)) - Math.min(...burst.map((s) => s.forkAt)))) * 1000;

  const lat = [...ramp, ...burst].filter((s) => !Number.isNaN(s.readyAt)).map((s) => s.readyAt - s.forkAt);
  return {
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    children: lat.length,
    sustainedPerSec,
    bursts: passes.map((p) => p.length),
    capacityPerSec,
    capacityChildren: ready.length,
    maxSpawnRate: MAX_SPAWN_RATE,
  };
}
