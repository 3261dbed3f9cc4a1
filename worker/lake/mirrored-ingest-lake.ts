/**
 * The ingest lake with a durable copy in an object store (S3, R2): the local folder stays the spool and a
 * readable copy, and publishing a batch uploads its files under their final keys BEFORE they are renamed
 * locally. A batch's answer waits for its publish, so a batch acknowledged with its files uploaded is in the
 * object store even when the local disk (a container's) is lost. An upload that fails leaves the batch spooled:
 * the next ingest or start publishes it again (the same keys, the same bytes), exactly as a local publish
 * that failed.
 */
import type { Logger } from '../env.js';
import type { IngestLake } from './ingest-lake.js';
import { localIngestLake, publishPlan } from './local-ingest-lake.js';
import type { ObjectStore } from './object-store.js';

export function mirroredIngestLake(root: string, store: ObjectStore, log: Logger): IngestLake {
  const local = localIngestLake(root, log);
  return {
    ...local,
    async publish(batch) {
      try {
        for (const step of await publishPlan(root, batch)) await store.put(step.key, step.from);
      } catch (err) {
        log.error('ingest lake: a committed batch is not uploaded yet (it stays spooled)', {
          batch_id: batch.batchId,
          seq: batch.seq,
          store: store.name,
          error: String(err),
        });
        return false;
      }
      return local.publish(batch);
    },
  };
}
