/**
 * Lists what an ingest lake folder holds, batch by batch in commit order (the sequence in the file names), for
 * the rebuild. Spooled batches are not part of it: the service publishes or drops them when it starts.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LakeReplayError } from '../errors.js';
import { LAKE_KINDS, parseBatchFileName, type LakeBatch } from './ingest-lake.js';
import { sortedEntries } from './list-dir.js';

export interface LakeBatchFiles extends LakeBatch {
  /** Absolute or root-relative paths of the batch's files, one or more per month. */
  readonly files: readonly string[];
}

export async function listLakeBatches(root: string): Promise<LakeBatchFiles[]> {
  try {
    await readdir(root);
  } catch {
    throw new LakeReplayError(`the lake folder ${root} cannot be read`);
  }
  const bySeq = new Map<number, { batch: LakeBatch; files: string[] }>();
  for (const kind of LAKE_KINDS) {
    for (const month of await sortedEntries(join(root, kind))) {
      if (!/^month=\d{4}-\d{2}$/.test(month)) continue;
      for (const name of await sortedEntries(join(root, kind, month))) {
        const parsed = parseBatchFileName(name);
        if (!parsed) continue;
        const path = join(root, kind, month, name);
        const seen = bySeq.get(parsed.seq);
        if (!seen) bySeq.set(parsed.seq, { batch: { kind, ...parsed }, files: [path] });
        else if (seen.batch.batchId !== parsed.batchId || seen.batch.kind !== kind)
          throw new LakeReplayError(
            `two batches are numbered ${parsed.seq}: ${seen.batch.batchId} (${seen.batch.kind}) and ` +
              `${parsed.batchId} (${kind}); one lake belongs to one store`,
          );
        else seen.files.push(path);
      }
    }
  }
  return [...bySeq.values()]
    .sort((a, b) => a.batch.seq - b.batch.seq)
    .map(({ batch, files }) => ({ ...batch, files }));
}
