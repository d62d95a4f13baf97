// ap_reclaim_child_processes (server/mpm_unix.c): how the parent makes its
// children go away on stop and hard restart, escalating on a fixed schedule
// measured from the start of the reclaim.

export type ReclaimAction = 'SEND_SIGTERM_NOLOG' | 'SEND_SIGTERM' | 'SEND_SIGKILL' | 'GIVEUP';

/** action_table[], minus the DO_NOTHING dummy entry. */
export const RECLAIM_SCHEDULE: ReadonlyArray<{ action: ReclaimAction; atMs: number }> = [
  { action: 'SEND_SIGTERM_NOLOG', atMs: 0 }, // skipped when not terminating (prefork's hard restart)
  { action: 'SEND_SIGTERM', atMs: 3000 },
  { action: 'SEND_SIGTERM', atMs: 5000 },
  { action: 'SEND_SIGTERM', atMs: 7000 },
  { action: 'SEND_SIGKILL', atMs: 9000 },
  { action: 'GIVEUP', atMs: 10000 },
];

export interface ReclaimTarget {
  pid: number;
  alive(): boolean;
  kill(signal: NodeJS.Signals): void;
}

export interface ReclaimLog {
  level: 'warn' | 'error';
  ah: 'AH00045' | 'AH00046' | 'AH00047';
  text: string;
}

/**
 * Poll the children (16 ms, growing ×4 up to 1 s between polls, as httpd) and
 * act on stragglers at 3, 5, 7 s (TERM, logged), 9 s (KILL), 10 s (give up).
 */
export async function reclaimChildProcesses(
  targets: () => ReclaimTarget[],
  terminate: boolean,
  log: (l: ReclaimLog) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => number = () => performance.now(),
): Promise<void> {
  const start = now();
  let next = terminate ? 0 : 1;
  let wait = 16;
  for (;;) {
    if (RECLAIM_SCHEDULE[next].atMs > 0) {
      await sleep(wait);
      wait = Math.min(wait * 4, 1000);
    }
    let action: ReclaimAction | null = null;
    if (RECLAIM_SCHEDULE[next].atMs <= now() - start) action = RECLAIM_SCHEDULE[next++].action;
    const left = targets().filter((t) => t.alive());
    for (const t of left) {
      switch (action) {
        case 'SEND_SIGTERM':
          log({ level: 'warn', ah: 'AH00045', text: `child process ${t.pid} still did not exit, sending a SIGTERM` });
          t.kill('SIGTERM');
          break;
        case 'SEND_SIGTERM_NOLOG':
          t.kill('SIGTERM');
          break;
        case 'SEND_SIGKILL':
          log({ level: 'error', ah: 'AH00046', text: `child process ${t.pid} still did not exit, sending a SIGKILL` });
          t.kill('SIGKILL');
          break;
        case 'GIVEUP':
          log({ level: 'error', ah: 'AH00047', text: `could not make child process ${t.pid} exit, attempting to continue anyway` });
          break;
      }
    }
    if (left.length === 0 || action === 'GIVEUP') return;
  }
}
