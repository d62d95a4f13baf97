// Reading an engine's event stream in tests: what happened per maintenance pass.
import type { EngineEvent } from '../../engine/protocol/events.js';

/** How many events matching `counts` came in each maintenance pass (between consecutive scoreboard snapshots). */
export function perPass(events: readonly EngineEvent[], counts: (e: EngineEvent) => boolean): number[] {
  const out: number[] = [];
  let n = 0;
  for (const e of events) {
    if (counts(e)) n++;
    if (e.type === 'scoreboard') {
      out.push(n);
      n = 0;
    }
  }
  return out;
}

/** Children forked in each pass. */
export const spawnsPerPass = (events: readonly EngineEvent[]) => perPass(events, (e) => e.type === 'child.spawn');
