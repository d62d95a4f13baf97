// Where engine events go. The hot path asks `enabled` before building an event,
// so an engine nobody watches pays nothing for them.
import type { EngineEvent } from '../../protocol/events.js';

export interface EventSink {
  readonly enabled: boolean;
  emit(e: EngineEvent): void;
}

export const NULL_SINK: EventSink = { enabled: false, emit: () => undefined };

/** One JSON object per line (mpm-lab run --events jsonl). */
export function jsonlSink(write: (line: string) => void): EventSink {
  return { enabled: true, emit: (e) => write(JSON.stringify(e) + '\n') };
}
