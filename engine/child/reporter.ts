// A child's half of the IPC channel: what it tells the parent, in batches.
//
// Words the accept turn or the process's life depend on (accepted, idle,
// want-turn, release, C in prefork, exiting…) go at once, in one write with
// everything reported before them, so the turn never waits for us. The rest —
// status changes and the request/connection events a watcher sees — waits up to
// LAZY_MS and travels with the next batch: a busy keep-alive child sends one
// write per 10 ms instead of one per request (each write also wakes the parent
// and costs it a parse). Order is kept: one queue, flushed whole. Events carry
// the time they happened (CLOCK_MONOTONIC, taken here), not when they arrive.
import type { ChildMessage } from '../mpm/ipc.js';
import { SERVER_CLOSING } from '../mpm/scoreboard.js';

export const LAZY_MS = 10;

const URGENT = new Set<ChildMessage['t']>(['accepted', 'idle', 'want-turn', 'release', 'quiescing', 'accepting', 'exiting', 'listening', 'scoreboard?', 'threads?', 'threads.add', 'log']);

/** Must this reach the parent now? (prefork holds the turn for a child in C: see PROMPT_FIN_MS.) */
export function isUrgent(m: ChildMessage): boolean {
  return URGENT.has(m.t) || (m.t === 'status' && m.status === SERVER_CLOSING);
}

let batch: ChildMessage[] = [];
let lazy: NodeJS.Timeout | null = null;

function flushNow(cb?: () => void): void {
  if (lazy) {
    clearTimeout(lazy);
    lazy = null;
  }
  if (batch.length === 0 || !process.connected) {
    batch = [];
    cb?.();
    return;
  }
  const out = batch;
  batch = [];
  process.send!(out, undefined, {}, cb ? () => cb() : undefined);
}

export function report(m: ChildMessage): void {
  batch.push(m);
  if (isUrgent(m)) flushNow();
  else if (!lazy) lazy = setTimeout(flushNow, LAZY_MS);
}

/**
 * Hand what is batched to the channel now. Small IPC writes go to the pipe
 * synchronously when nothing is queued, which is what a child that is about to
 * die by its own signal relies on.
 */
export function flushSync(): void {
  flushNow();
}

/** Send what is batched and call back once it has been handed to the channel. */
export function flush(cb: () => void): void {
  flushNow(cb);
}
