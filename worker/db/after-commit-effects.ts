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

/**
 * One effect that runs `effects` at once, for independent work on different tables and connections (the
 * charges' posting and the rollups' publication after an ingest); it ends when all have ended and then fails
 * with their failures, so none is cut short by another's.
 */
export function sideBySide(...effects: readonly AfterCommit[]): AfterCommit {
  return async (db) => {
    const ends = await Promise.allSettled(effects.map(async (effect) => effect(db)));
    const failed = ends.flatMap((e) => (e.status === 'rejected' ? [e.reason as unknown] : []));
    if (failed.length === 1) throw failed[0];
    if (failed.length > 1) throw new AggregateError(failed, failed.map(String).join('; '));
  };
}
