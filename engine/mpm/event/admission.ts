// event's admission rule (event.c connections_above_limit): may this process
// accept one more connection? A process with no idle worker never does; one
// with idle workers does while its open, non-lingering connections stay below
// ThreadsPerChild + idle × AsyncRequestWorkerFactor. While listening is
// disabled one idle worker is left out, so the process does not flip-flop.

export interface AdmissionInput {
  /** idle worker threads in this process */
  idleWorkers: number;
  /** open connections of this process (connection_count) */
  connections: number;
  /** of those, in lingering close (lingering_count) */
  lingering: number;
  threadsPerChild: number;
  /** AsyncRequestWorkerFactor as the code uses it: the integer part (config/check.ts asyncFactorEffective) */
  asyncFactor: number;
  /** listening is disabled in this process right now (the hysteresis) */
  listeningDisabled: boolean;
}

export function connectionsAboveLimit(a: AdmissionInput): boolean {
  if (a.idleWorkers <= 0) return true; // all workers busy
  if (a.connections <= a.lingering) return false;
  const limit = a.threadsPerChild + (a.idleWorkers - (a.listeningDisabled ? 1 : 0)) * a.asyncFactor;
  return a.connections - a.lingering >= limit;
}

/**
 * The debug line of a process that stops listening. (event.c says "All workers
 * busy" only when a worker was already missing earlier in the same listener
 * pass; at a connection's arrival it is this one, busy workers or not.)
 */
export function disabledLog(connections: number): string {
  return `Too many open connections (${connections}), not accepting new conns in this process`;
}

/** AH00457, logged when listening is enabled again. */
export function acceptingAgain(a: AdmissionInput): string {
  return `Accepting new connections again: ${a.connections} active conns (${a.lingering} lingering/0 clogged/0 suspended), ${a.idleWorkers} idle workers`;
}
