/**
 * Lists what an ingest lake folder holds, batch by batch and reference change by reference change in commit
 * order (the sequence in the file names), for the rebuild. Spooled entries are not part of it: the service
 * publishes or drops them when it starts.
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

async function checkRoot(root: string): Promise<void> {
  try {
    await readdir(root);
  } catch {
    throw new LakeReplayError(`the lake folder ${root} cannot be read`);
  }
}

export async function listLakeBatches(root: string): Promise<LakeBatchFiles[]> {
  await checkRoot(root);
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

/** A reference change as published: its files by table. */
export interface LakeReferenceFiles extends LakeBatch {
  readonly files: ReadonlyMap<string, string>;
}

/** The reference changes of a lake (reference/<table>/month=YYYY-MM/change-<seq>-<id>.parquet), in order. */
export async function listReferenceChanges(root: string): Promise<LakeReferenceFiles[]> {
  await checkRoot(root);
  const bySeq = new Map<number, { batchId: string; files: Map<string, string> }>();
  const base = join(root, 'reference');
  for (const table of await sortedEntries(base)) {
    for (const month of await sortedEntries(join(base, table))) {
      if (!/^month=\d{4}-\d{2}$/.test(month)) continue;
      for (const name of await sortedEntries(join(base, table, month))) {
        const parsed = name.startsWith('change-') ? parseBatchFileName(name) : null;
        if (!parsed) continue;
        const seen = bySeq.get(parsed.seq) ?? { batchId: parsed.batchId, files: new Map<string, string>() };
        if (seen.batchId !== parsed.batchId || seen.files.has(table))
          throw new LakeReplayError(
            `two reference files are numbered ${parsed.seq} for ${table}: one lake belongs to one store`,
          );
        seen.files.set(table, join(base, table, month, name));
        bySeq.set(parsed.seq, seen);
      }
    }
  }
  return [...bySeq.entries()]
    .sort(([a], [b]) => a - b)
    .map(([seq, c]) => ({ kind: 'reference', seq, batchId: c.batchId, files: c.files }));
}
