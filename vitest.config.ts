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
          // Money suites again with the money plane on an in-memory PGlite (the harness's TEST_MONEY_STORE), so usage
          // and money in two stores is held to the same tests in npm test. A subset (118 s at load 10; the whole
          // of test/funding, test/ledger and test/gate took 208 s): the ledger (door, sync, statement,
          // reconciliation, the crash between the planes), funding's core and the gate's state. Every other money
          // suite runs so with TEST_MONEY_STORE=pglite npx vitest run <dirs>.
          name: 'money-pglite',
          include: [
            'test/ledger/**/*.test.ts',
            'test/funding/{balance-example,quotes,idempotency,account-start,after-commit-effects}.test.ts',
            'test/gate/{gate-concurrency,state-persistence,learn-from-webhooks,r5-gate}.test.ts',
          ],
          environment: 'node',
          env: { TEST_MONEY_STORE: 'pglite' },
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
          // Not fileParallelism: false: Vitest runs such a project after every other one, on one worker while the
          // second idles (220 s of a 657 s run). Each browser file has its own Chromium profile, port and store.
        },
      },
    ],
  },
});
