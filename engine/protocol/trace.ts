// A trace: what the lab streamed, as JSONL, so the site can replay it with no
// engine. Lines are the server's own messages (snapshot, events, dropped,
// instance.exit) plus the driver's results, after one header line — so a
// replay is just feeding the recorded messages to the same client code.
import { z } from 'zod';
import { CompareTrack, DriverStep, DriverStepResult, ServerMessage } from './messages.js';

export const TRACE_VERSION = 1;

export const TraceHeader = z.object({
  type: z.literal('trace'),
  version: z.literal(TRACE_VERSION),
  name: z.string(),
  created: z.string(),
  lab: z.string(),
});

export const TraceDrive = z.object({
  type: z.literal('drive'),
  /** when the drive finished (the replay delivers its results then) */
  ts: z.number(),
  /** when it was asked for: drives that ran at the same time are put back in the order they started */
  started: z.number().optional(),
  instance: z.string(),
  steps: z.array(DriverStep),
  results: z.array(DriverStepResult),
});

/** A comparison (compare.run): both sides' results, memory samples and summaries, when it ended. */
export const TraceCompare = z.object({
  type: z.literal('compare'),
  ts: z.number(),
  started: z.number(),
  tracks: z.array(CompareTrack),
  sides: z.array(
    z.object({
      instance: z.string(),
      tracks: z.array(z.array(DriverStepResult)),
      memory: z.array(z.object({ ts: z.number(), ussKb: z.number() })),
      summary: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type TraceCompare = z.infer<typeof TraceCompare>;

export const TraceLine = z.union([ServerMessage, TraceDrive, TraceCompare, z.object({ type: z.literal('end'), ts: z.number() })]);
export type TraceLine = z.infer<typeof TraceLine>;

export interface ParsedTrace {
  header: z.infer<typeof TraceHeader>;
  lines: TraceLine[];
}

/** Parse and validate a trace; throws with the line number of the first bad line. */
export function parseTrace(text: string): ParsedTrace {
  const raw = text.split('\n').filter((l) => l.trim() !== '');
  if (raw.length === 0) throw new Error('empty trace');
  const header = TraceHeader.safeParse(JSON.parse(raw[0]));
  if (!header.success) throw new Error(`line 1 is not a trace header: ${z.prettifyError(header.error)}`);
  const lines: TraceLine[] = [];
  raw.slice(1).forEach((l, i) => {
    let json: unknown;
    try {
      json = JSON.parse(l);
    } catch {
      throw new Error(`line ${i + 2} is not JSON`);
    }
    const r = TraceLine.safeParse(json);
    if (!r.success) throw new Error(`line ${i + 2}: ${z.prettifyError(r.error)}`);
    lines.push(r.data);
  });
  return { header: header.data, lines };
}
