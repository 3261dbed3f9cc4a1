/**
 * A batch is landed in one transaction and settled in the next; if the process stops in between, the landed
 * rows stay behind under a 'landing' batch. They were never acknowledged, so they are removed: run before any
 * ingest and when the service starts, before anything derives from units.
 */
import type { Queryable } from '../db/db.js';

/** Deletes the rows of interrupted batches and their batch records; returns how many batches. */
export async function discardInterruptedBatches(tx: Queryable): Promise<number> {
  const stale = await tx.all<{ seq: number }>(
    `SELECT seq::BIGINT AS seq FROM ingest_batches WHERE status = 'landing' AND seq IS NOT NULL`,
  );
  for (const { seq } of stale) await discardBatch(tx, Number(seq));
  return stale.length;
}

/** Removes one batch's landed rows and its record (the batch is refused or was interrupted). */
export async function discardBatch(tx: Queryable, seq: number): Promise<void> {
  await tx.run('DELETE FROM units WHERE batch_seq = $seq', { seq });
  await tx.run(`DELETE FROM ingest_batches WHERE seq = $seq AND status = 'landing'`, { seq });
}
