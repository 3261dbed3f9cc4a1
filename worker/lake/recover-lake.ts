/**
 * After a crash (or a publish that failed), the ingest lake may hold spooled batches. Those whose batch committed
 * are published; the others were never acknowledged and are dropped. Runs when the service starts and before
 * each ingest, while the writer is held (so no batch is between its spool and its commit), after
 * discardInterruptedBatches has removed batches stopped between landing and settling.
 */
import type { Queryable } from '../db/db.js';
import type { IngestLake } from './ingest-lake.js';

export interface LakeRecovery {
  readonly published: number;
  readonly discarded: number;
}

export async function recoverLake(tx: Queryable, lake: IngestLake): Promise<LakeRecovery> {
  let published = 0;
  let discarded = 0;
  for (const batch of await lake.spooled()) {
    const [row] = await tx.all<{ status: string }>(
      `SELECT COALESCE(status, 'done') AS status FROM ingest_batches WHERE batch_id = $id`,
      { id: batch.batchId },
    );
    if (row?.status === 'done') {
      if (await lake.publish(batch)) published++;
    } else {
      await lake.discard(batch);
      discarded++;
    }
  }
  return { published, discarded };
}
