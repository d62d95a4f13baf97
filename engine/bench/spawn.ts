// How fast the engine brings children up: from the parent's fork (child.spawn)
// to the child's first SERVER_READY (worker.status "_"), both stamped with
// CLOCK_MONOTONIC where they happened. Two runs:
// - the spare ramp (MinSpareServers far above StartServers): maintenance forks
//   1,2,4,8,16,32,32… per second; the first passes show a child starting alone,
//   the 32-child passes whether we keep up with httpd's MAX_SPAWN_RATE;
// - StartServers N at once (httpd forks them without a rate limit): how many
//   children per second the machine can bring up at all.
import { startBackend } from '../cli/engine-process.js';
import { MAX_SPAWN_RATE } from '../mpm/prefork/maintenance.js';
import type { EngineEvent } from '../protocol/events.js';

export interface SpawnResult {
  /** spawn → ready of children forked alone or in pairs (the ramp's first passes), ms */
  aloneP50: number;
  aloneMax: number;
  /** spawn → ready of children forked in passes of 16 or more, ms */
  burstP50: number;
  burstP99: number;
  children: number;
  /** ramp: the children of the MAX_SPAWN_RATE passes ÷ (their first fork → the last of them ready) */
  sustainedPerSec: number;
  /** ramp: children forked per maintenance pass, in order (1,1,2,4,…) */
  bursts: number[];
  /** StartServers N: N ÷ (first fork → last ready); null when not measured (--quick) */
  capacityPerSec: number | null;
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
  return s.length ? s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] : NaN;
};
const latency = (xs: Spawned[]) => xs.filter((s) => !Number.isNaN(s.readyAt)).map((s) => s.readyAt - s.forkAt);

/**
 * Forks grouped into maintenance passes (one a second). A pass forks its
 * children back to back — each fork of a Node process takes the parent ~15 ms,
 * so 32 of them take half a second — and the next pass comes after a pause.
 */
export function passesOf(children: Array<{ forkAt: number }>): number[][] {
  const passes: number[][] = [];
  let last = -Infinity;
  children.forEach((s, i) => {
    if (s.forkAt - last < PASS_GAP_MS) passes.at(-1)!.push(i);
    else passes.push([i]);
    last = s.forkAt;
  });
  return passes;
}
const PASS_GAP_MS = 200;

export async function benchSpawn({ quick = false } = {}): Promise<SpawnResult> {
  // 1 at startup, then passes of 1,2,4,8,16,32 and (96: one, 160: three) of 32
  const rampTarget = quick ? 96 : 160;
  const ramp = (
    await runUntilReady(
      { StartServers: 1, MinSpareServers: rampTarget, MaxSpareServers: rampTarget + 32, MaxRequestWorkers: rampTarget + 32, ServerLimit: rampTarget + 32 },
      rampTarget,
      20_000,
    )
  ).sort((a, b) => a.forkAt - b.forkAt);
  const passes = passesOf(ramp).map((p) => p.map((i) => ramp[i]));
  const full = passes.filter((p) => p.length >= MAX_SPAWN_RATE);
  const fullKids = full.flat();
  const sustainedPerSec =
    fullKids.length && fullKids.every((s) => !Number.isNaN(s.readyAt)) ? (fullKids.length / (Math.max(...fullKids.map((s) => s.readyAt)) - full[0][0].forkAt)) * 1000 : NaN;

  let capacityPerSec: number | null = null;
  let capacityChildren = 0;
  const burstKids = passes.filter((p) => p.length >= 16).flat();
  if (!quick) {
    const n = 64;
    const burst = await runUntilReady({ StartServers: n, MinSpareServers: 1, MaxSpareServers: n, MaxRequestWorkers: n, ServerLimit: n }, n, 20_000);
    const ready = burst.filter((s) => !Number.isNaN(s.readyAt));
    capacityChildren = ready.length;
    capacityPerSec = (ready.length / (Math.max(...ready.map((s) => s.readyAt)) - Math.min(...burst.map((s) => s.forkAt)))) * 1000;
    burstKids.push(...burst);
  }
  const alone = latency(passes.filter((p) => p.length <= 2).flat());
  const inBursts = latency(burstKids);
  return {
    aloneP50: pct(alone, 50),
    aloneMax: Math.max(...alone),
    burstP50: pct(inBursts, 50),
    burstP99: pct(inBursts, 99),
    children: alone.length + inBursts.length,
    sustainedPerSec,
    bursts: passes.map((p) => p.length),
    capacityPerSec,
    capacityChildren,
    maxSpawnRate: MAX_SPAWN_RATE,
  };
}
