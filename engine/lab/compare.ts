// `compare.run`: the same tracks of driver steps against two engines at once.
// Each side gets every track as its own drive, started together (a track's
// afterMs delays it); the engines' events are collected as they stream, their
// memory sampled from /proc twice a second, and each side summed up by the
// pure summarize() the page also uses for replays.
import { monoMs } from '../platform/clock.js';
import { summarize, type CompareSummary, type MemorySample } from '../protocol/compare.js';
import type { EngineEvent } from '../protocol/events.js';
import type { CompareTrack, DriverStepResult } from '../protocol/messages.js';
import { checkLimits, drive } from './driver.js';
import type { EngineInstance } from './instance.js';

const MEMORY_EVERY_MS = 500;

export interface CompareSide {
  instance: string;
  /** per track, the results of its steps */
  tracks: DriverStepResult[][];
  memory: MemorySample[];
  summary: CompareSummary;
}

export interface CompareResult {
  started: number;
  ended: number;
  sides: CompareSide[];
}

export function checkCompare(tracks: CompareTrack[]): void {
  tracks.forEach((t, i) => {
    try {
      checkLimits(t.steps);
    } catch (e) {
      throw new Error(`track ${i + 1}: ${(e as Error).message}`);
    }
  });
}

export async function runCompare(pair: EngineInstance[], tracks: CompareTrack[], signal: AbortSignal, slowmo = 1): Promise<CompareResult> {
  if (slowmo > 1 && pair.some((i) => i.backend !== 'node')) {
    throw new Error(`slow motion (×${slowmo}) slows only MPM Lab's engine, never real httpd: a comparison with real httpd would not be fair — set slow motion back to ×1 first`);
  }
  checkCompare(tracks);
  const started = monoMs();
  const sides = pair.map((inst) => {
    const snap = inst.snapshot();
    const events: EngineEvent[] = [];
    const off = inst.onEvents((batch) => events.push(...batch));
    const memory: MemorySample[] = [];
    const sample = () => memory.push({ ts: monoMs(), ussKb: inst.memory().reduce((a, m) => a + m.ussKb, 0) + inst.parentMemory() });
    sample();
    const timer = setInterval(sample, MEMORY_EVERY_MS);
    const initialWorkers = Object.fromEntries(Object.entries(snap.workers).flatMap(([k, e]) => (e.type === 'worker.status' ? [[k, e.status]] : [])));
    // the application behind /app/: the pool's processes and its "max children reached" counter when the run began
    const status = snap.pool?.status;
    const app = {
      ...(snap.app ? { app: snap.app } : {}),
      ...(snap.pool ? { initialPool: snap.pool.processes.map((p) => p.pid), initialMaxChildrenReached: status?.type === 'pool.status' ? status.maxChildrenReached : 0 } : {}),
    };
    return { inst, events, off, memory, timer, initialWorkers, initialChildren: snap.children.map((c) => c.pid), app };
  });
  try {
    const runs = await Promise.all(
      sides.map((s) =>
        Promise.all(
          tracks.map(async (t) => {
            if (t.afterMs) await new Promise((r) => setTimeout(r, t.afterMs));
            return drive(s.inst.port, t.steps, { signal, slowmo });
          }),
        ),
      ),
    );
    // the last events of the run (a request.end, a conn.close) are a tick behind the responses
    await new Promise((r) => setTimeout(r, 300));
    const ended = monoMs();
    return {
      started,
      ended,
      sides: sides.map((s, i) => {
        const results = runs[i].flat().flatMap((step) => step.requests);
        return {
          instance: s.inst.id,
          tracks: runs[i],
          memory: s.memory,
          summary: summarize({ instance: s.inst.id, mpm: s.inst.mpm, backend: s.inst.backend, initialWorkers: s.initialWorkers, initialChildren: s.initialChildren, events: s.events, results, memory: s.memory, ...s.app }),
        };
      }),
    };
  } finally {
    for (const s of sides) {
      s.off();
      clearInterval(s.timer);
    }
  }
}
