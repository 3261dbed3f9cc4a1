/**
 * The ingest lake with a durable copy in an object store (S3, R2). The local folder stays the spool and a
 * readable copy. Sealing a batch — before its commit — uploads its files under their final keys, so a batch is
 * acknowledged only once it is in the object store: if the upload fails, the batch fails with it (503, nothing
 * committed, nothing charged) and the caller sends it again. A lost local disk (a container's) then never holds
 * the only copy of an acknowledged batch. Publishing after the commit is the local rename alone; a batch that
 * did not commit is removed from the object store as well as from the spool (at once, or at the next start when
 * a crash came between), best effort: a copy left behind by a crash on a disk that was then lost is a batch
 * never acknowledged, whose records a replay would count (duplicates of a retry are sorted out by their ids).
 */
import type { Logger } from '../env.js';
import { ServiceUnavailableError } from '../errors.js';
import type { IngestLake } from './ingest-lake.js';
import { localIngestLake, publishPlan } from './local-ingest-lake.js';
import type { ObjectStore } from './object-store.js';

export function mirroredIngestLake(root: string, store: ObjectStore, log: Logger): IngestLake {
  const local = localIngestLake(root, log);
  return {
    ...local,
    async seal(batch) {
      await local.seal(batch);
      try {
        for (const step of await publishPlan(root, batch)) await store.put(step.key, step.from);
      } catch (err) {
        log.error('ingest lake: a batch could not be uploaded; it is refused', {
          batch_id: batch.batchId,
          seq: batch.seq,
          store: store.name,
          error: String(err),
        });
        throw new ServiceUnavailableError(
          `The ingest lake's object store (${store.name}) cannot be written just now, so the batch was not ` +
            'accepted (nothing was counted or charged). Send it again.',
        );
      }
    },
    async discard(batch) {
      // The spool names the keys its files were uploaded under; read before it is removed.
      const keys = (await publishPlan(root, batch)).map((step) => step.key);
      await local.discard(batch);
      try {
        if (keys.length > 0) await store.remove(keys);
      } catch (err) {
        log.warn('ingest lake: the upload of a batch that did not commit is still in the object store', {
          batch_id: batch.batchId,
          store: store.name,
          error: String(err),
        });
      }
    },
  };
}
