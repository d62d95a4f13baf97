import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real process trees and bind real ports: keep files
    // sequential so two engines never compete for the 2 cores during a timing-free
    // but order-sensitive check (e.g. the FIFO rotation).
    fileParallelism: false,
    testTimeout: 30_000,
    // browser tests report their figures on the console
    reporters: ['default'],
    hookTimeout: 30_000,
  },
});
