import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default on a 2-core machine is one worker (cores − 1), which leaves a core idle while a file waits
    // on a child server, Chromium or DuckDB I/O; two files at a time took a mixed subset from 156 s to 107 s.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          environment: 'node',
          // A worker reuses the modules it imported for the next file instead of importing the service again
          // per file (import took 332 s of a full run, 65 s after). Tests share no module state: every store, cache and
          // clock is made per test (createHarness, AppServices).
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
