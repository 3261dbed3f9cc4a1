/**
 * After a crash (or a publish that failed), the ingest lake may hold spooled batches and reference changes. Those
 * that committed are published; the others were never acknowledged and are dropped. Runs when the service starts
 * and before each ingest, while the writer is held (so nothing is between its spool and its commit), after
 * discardInterruptedBatches has removed batches stopped between landing and settling. Then the reference data is
 * archived whole if the lake has none of it yet, or the shipped pricing data if the store loaded a newer version
 * (archiveReferenceBaseline), so the lake's next entry is replayed against the reference data it met.
 */
import type { Queryable } from '../db/db.js';
import { archiveReferenceBaseline } from './archive-reference.js';
import type { IngestLake, LakeBatch } from './ingest-lake.js';

export interface LakeRecovery {
  readonly published: number;
  readonly discarded: number;
  /** Whether this call archived reference data the lake was missing (all of it, or newer shipped pricing). */
  readonly reference?: boolean;
}

async function committed(tx: Queryable, batch: LakeBatch): Promise<boolean> {
  if (batch.kind === 'reference')
    return (
      (await tx.all('SELECT 1 FROM lake_reference_changes WHERE change_id = $id', { id: batch.batchId }))
        .length > 0
    );
  const [row] = await tx.all<{ status: string }>(
    `SELECT COALESCE(status, 'done') AS status FROM ingest_batches WHERE batch_id = $id`,
    { id: batch.batchId },
  );
  return row?.status === 'done';
}

/** `baseline` false: the spool only (a replica that may not archive now: a standby of the writer election). */
export async function recoverLake(
  tx: Queryable,
  lake: IngestLake,
  now: Date = new Date(),
  baseline = true,
): Promise<LakeRecovery> {
  let published = 0;
  let discarded = 0;
  for (const batch of await lake.spooled()) {
    if (await committed(tx, batch)) {
      if (await lake.publish(batch)) published++;
    } else {
      await lake.discard(batch);
      discarded++;
    }
  }
  const reference = baseline && (await archiveReferenceBaseline(tx, lake, now));
  return { published, discarded, reference };
}
