// A child's half of the IPC channel. Everything a child reports within one tick
// (status R, conn.open, accepted…) goes to the parent as one array: one write,
// one parse, instead of five.
import type { ChildMessage } from '../mpm/ipc.js';

let batch: ChildMessage[] = [];
let scheduled = false;

function flushNow(cb?: () => void): void {
  scheduled = false;
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
  if (!scheduled) {
    scheduled = true;
    process.nextTick(flushNow);
  }
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
