/**
 * What every store does with the after-commit effects of a transaction (db.ts, AfterCommit): runs them in
 * registration order once the writer is free, and reports a failing one without turning it into an error of
 * the committed transaction; the rest still run.
 */
import type { AfterCommit, Db } from './db.js';

/** The default report of a failing effect: its stack on stderr (the commit stands). */
export function reportEffectError(err: unknown): void {
  process.stderr.write(`after-commit effect failed: ${err instanceof Error ? err.stack : String(err)}\n`);
}

export async function runAfterCommit(
  db: Db,
  effects: readonly AfterCommit[],
  onError: (err: unknown) => void,
): Promise<void> {
  for (const effect of effects) {
    try {
      await effect(db);
    } catch (err) {
      onError(err);
    }
  }
}
