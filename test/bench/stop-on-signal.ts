/**
 * Cleanup for benchmarks that start processes (a Postgres server, service replicas): the cleanups registered
 * here run once, at the end of the run or on SIGINT/SIGTERM (Ctrl-C), last registered first, so no process the
 * benchmark started outlives it. Each cleanup stops only what its own code started, by pid.
 */
type Cleanup = () => Promise<unknown>;

const cleanups: Cleanup[] = [];
let running: Promise<void> | null = null;

/** Registers a cleanup; the returned function runs and unregisters it (for a normal stop before the end). */
export function onStop<T>(cleanup: () => Promise<T>): () => Promise<T | undefined> {
  cleanups.push(cleanup);
  return async () => {
    const i = cleanups.indexOf(cleanup);
    if (i < 0) return undefined;
    cleanups.splice(i, 1);
    return cleanup();
  };
}

/** Runs every registered cleanup (errors are reported, not thrown: the others still run). */
export function stopAll(): Promise<void> {
  running ??= (async () => {
    while (cleanups.length > 0) {
      const c = cleanups.pop()!;
      await c().catch((err: unknown) => console.error('cleanup failed:', err));
    }
  })();
  return running;
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the processes this benchmark started`);
    void stopAll().finally(() => process.exit(code));
  });
