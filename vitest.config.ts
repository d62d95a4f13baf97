import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start real process trees and bind real ports: keep files
    // sequential so two engines never compete for the 2 cores during a timing-free
    // but order-sensitive check (e.g. the FIFO rotation).
    fileParallelism: false,
    // Within a file, tests marked concurrent run this many at once: only the lesson
    // runs (test/integration/lessons.test.ts: mostly waiting, well under one core; one
    // lab per lane, node-engine runs one at a time). Measured: 180 s → 64 s, same CPU.
    maxConcurrency: 3,
    testTimeout: 30_000,
    // browser tests report their figures on the console
    reporters: ['default'],
    hookTimeout: 30_000,
    projects: [
      // pure unit tests: one process for all of them, after the live files (each file still
      // gets fresh modules); a process per file cost ~0.35 s each (measured: 23 s → 7 s)
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], poolOptions: { forks: { singleFork: true } } } },
      // real engines, labs and browsers: a process of its own per file, one file at a time
      { extends: true, test: { name: 'live', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'] } },
    ],
  },
});
