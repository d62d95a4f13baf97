// What a classroom participant may send (`mpm-lab start --classroom`): join
// with a display name, send requests to the engine the teacher shares, answer
// the question on the board, ask for a snapshot. Nothing else — no config, no
// engines, no signals, no raw sockets. Shared by the lab, the page and tests.
import { z } from 'zod';
import { DriverStep } from './messages.js';

export const CLASSROOM_LIMITS = {
  maxParticipants: 60,
  /** drives a participant may start at once from rest, then one more every refillMs */
  bucket: 5,
  refillMs: 2000,
  /** per drive */
  maxSteps: 5,
  maxRequests: 20,
  maxConnections: 10,
  /** how long a think time or hold may be, per drive */
  maxDriveMs: 15_000,
  /** participants' drives running at once, across the class */
  maxConcurrentDrives: 16,
} as const;

const id = z.union([z.number().int(), z.string().max(64)]);

export const ParticipantRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('classroom.join'), id, name: z.string().trim().min(1).max(32) }),
  z.object({ type: z.literal('drive'), id, steps: z.array(DriverStep).min(1).max(CLASSROOM_LIMITS.maxSteps) }),
  z.object({ type: z.literal('classroom.answer'), id, question: z.string().min(1).max(64), choice: z.string().min(1).max(64) }),
  z.object({ type: z.literal('snapshot'), id }),
]);
export type ParticipantRequest = z.infer<typeof ParticipantRequest>;
export const PARTICIPANT_REQUEST_TYPES = ParticipantRequest.options.map((o) => o.shape.type.value);

/** Colours for participants: Okabe–Ito first (colour-blind safe), then more, cycled. */
export const PARTICIPANT_COLORS = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#7f3c8d', '#11a579', '#3969ac', '#f2b701', '#e73f74'];
