// Slow motion (a lab setting, off by default): the node engine stretches each
// request's phases so a person can follow R → W → K → _ by eye. A factor f
// holds a request in R and in W for PHASE_MS × f each, and multiplies the
// handlers' own waits (/sleep, /stream) by f. Real httpd is never slowed. The
// factor lives in the process's shared words, so every thread of a child sees
// a change at once.
export const SLOWMO_WORD = 1;
/** words of a child's shared memory: [0] /counter's library counter, [1] the slow-motion factor */
export const SHARED_WORDS = 2;
export const SLOWMO_PHASE_MS = 20;
export const SLOWMO_MAX = 100;

export function slowmoOf(shared: Int32Array): number {
  return shared.length > SLOWMO_WORD ? Math.max(1, Atomics.load(shared, SLOWMO_WORD)) : 1;
}

export function setSlowmo(shared: Int32Array, factor: number): void {
  if (shared.length > SLOWMO_WORD) Atomics.store(shared, SLOWMO_WORD, Math.min(SLOWMO_MAX, Math.max(1, Math.round(factor))));
}
