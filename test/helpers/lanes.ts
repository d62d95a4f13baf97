// Lanes: a few copies of an expensive fixture (a lab, a lab process), each used
// by one test at a time, so tests marked concurrent can run side by side without
// sharing one (a lab's limits on engines and drives are per lab, as a learner has one).
// vitest starts at most `maxConcurrency` (vitest.config.ts) concurrent tests at once;
// with fewer lanes than that, a test waits here for a free one (inside its own timeout).
export class Lanes<T> {
  readonly all: T[] = [];
  private readonly free: T[] = [];
  private readonly waiting: Array<(t: T) => void> = [];
  add(lane: T): void {
    this.all.push(lane);
    this.release(lane);
  }
  /** run f with a lane no other test is using */
  async use<R>(f: (lane: T) => Promise<R>): Promise<R> {
    const lane = this.free.pop() ?? (await new Promise<T>((r) => this.waiting.push(r)));
    try {
      return await f(lane);
    } finally {
      this.release(lane);
    }
  }
  private release(lane: T): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.free.push(lane);
  }
}
