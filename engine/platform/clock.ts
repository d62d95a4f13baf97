// Timestamps for events: CLOCK_MONOTONIC in milliseconds. It is the same clock in
// every process of the machine, so events stamped in children and in the parent
// order correctly; it never jumps with the wall clock.
export function monoMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

/** The kernel thread id of the calling thread (Linux: /proc/thread-self -> "PID/task/TID"). */
export function kernelTid(readlink: (p: string) => string): number {
  try {
    const m = /task\/(\d+)$/.exec(readlink('/proc/thread-self'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux: there is no kernel tid to show, and we never invent one
  }
  return 0;
}
