/**
 * The rebuild's work, importable by tests: replays an ingest lake into a fresh store, batch by batch in the order
 * the batches committed, through the same ingest functions as POST /v1/ingest (landing, settling, derivation,
 * rollups and charges), each batch at its original time and as its original caller, with the reference changes
 * (partners, WABAs, numbers, markets, rate cards) applied between them in the same order. What a rebuild gives
 * back is the analytics plane; money (ledger, balances, top-ups) is not in the lake and is not rebuilt.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recomputer } from '../billing/recompute.js';
import type { Db } from '../db/db.js';
import { AppError, LakeReplayError } from '../errors.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { ingestUnits } from '../ingest/ingest-units.js';
import { ingestWebhooks } from '../ingest/ingest-webhooks.js';
import { LAKE_UNIT_COLUMNS } from '../lake/archive-batch.js';
import { silentLogger } from '../env.js';
import { localIngestLake } from '../lake/local-ingest-lake.js';
import {
  listLakeBatches,
  listReferenceChanges,
  type LakeBatchFiles,
  type LakeReferenceFiles,
} from '../lake/read-lake.js';
import { sqlString } from '../kernel/sql-literal.js';
import { replayReferenceChange } from './replay-reference.js';

export interface ReplayProgress {
  readonly done: number;
  readonly total: number;
  readonly batch: LakeBatchFiles | LakeReferenceFiles;
}

export interface ReplaySummary {
  readonly batches: number;
  readonly units_batches: number;
  readonly webhook_batches: number;
  /** Records and envelopes replayed. */
  readonly rows: number;
  readonly reference_changes: number;
  readonly last_seq: number;
}

export interface ReplayOptions {
  /**
   * The reference tables were copied from a store first (--reference): batches may then come before the lake's
   * first reference change (a lake begun before reference changes were archived).
   */
  readonly referenceCopied?: boolean;
  readonly onProgress?: (p: ReplayProgress) => void;
}

const fileList = (files: readonly string[]) => `[${files.map(sqlString).join(', ')}]`;

async function batchMeta(
  db: Db,
  batch: LakeBatchFiles,
): Promise<{ receivedAt: Date; partnerId: string | null }> {
  const rows = await db.all<{ k: string; v: string }>(
    `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${sqlString(batch.files[0]!)})`,
  );
  const kv = new Map(rows.map((r) => [r.k, r.v]));
  const at = new Date(kv.get('received_at') ?? '');
  if (kv.get('batch_id') !== batch.batchId || Number.isNaN(at.getTime()))
    throw new LakeReplayError(
      `${batch.files[0]} does not carry its batch's metadata (batch_id, received_at)`,
    );
  return { receivedAt: at, partnerId: kv.get('partner_id') || null };
}

/**
 * Replays one lake entry (a batch or a reference change) into `db`; a batch is recorded in lake_replayed under
 * its lake id, so a later catch-up knows the store holds it. Returns the records and envelopes replayed.
 */
export async function replayEntry(
  db: Db,
  entry: LakeBatchFiles | LakeReferenceFiles,
  workDir: string,
  domain: DomainContext,
): Promise<number> {
  if (entry.kind === 'reference') {
    await replayReferenceChange(db, entry as LakeReferenceFiles, domain);
    return 0;
  }
  const rows = await replayBatch(db, entry as LakeBatchFiles, workDir, domain);
  await db.run(
    `INSERT INTO lake_replayed VALUES ($id, $seq, $kind, $now::TIMESTAMPTZ) ON CONFLICT (batch_id) DO NOTHING`,
    { id: entry.batchId, seq: entry.seq, kind: entry.kind, now: domain.now().toISOString() },
  );
  return rows;
}

async function replayBatch(
  db: Db,
  batch: LakeBatchFiles,
  workDir: string,
  domain: DomainContext,
): Promise<number> {
  const { receivedAt, partnerId } = await batchMeta(db, batch);
  // Each batch recomputes as of the time it was received (its unpriced-units alerts carry that time).
  const recompute = recomputer({ ...domain, now: () => receivedAt });
  if (batch.kind === 'webhooks') {
    const lines = await db.all<{ envelope: string }>(
      `SELECT envelope FROM read_parquet(${fileList(batch.files)}) ORDER BY line`,
    );
    await ingestWebhooks(db, {
      text: lines.map((l) => l.envelope).join('\n'),
      partnerId,
      now: receivedAt,
      recompute,
    });
    return lines.length;
  }
  // The months of a batch back into one file, in the order the batch had.
  const path = join(workDir, `${batch.batchId}.parquet`);
  const cols = LAKE_UNIT_COLUMNS.map(([name]) => name).join(', ');
  await db.run(
    `COPY (SELECT ${cols} FROM read_parquet(${fileList(batch.files)}) ORDER BY line)
       TO ${sqlString(path)} (FORMAT parquet)`,
  );
  try {
    const r = await ingestUnits(db, {
      format: 'parquet',
      source: { kind: 'file', path },
      partnerId,
      now: receivedAt,
      recompute,
    });
    return r.rows;
  } finally {
    await rm(path, { force: true });
  }
}

/** Numbers later batches after the replayed ones, so a rebuilt store that goes live keeps the lake's order. */
export async function advanceBatchSeq(db: Db, lastSeq: number): Promise<void> {
  const [r] = await db.all<{ v: number }>(`SELECT nextval('ingest_batch_seq')::BIGINT AS v`);
  const gap = lastSeq - Number(r?.v ?? 0);
  if (gap > 0) await db.run(`SELECT max(nextval('ingest_batch_seq')) FROM range(${Math.trunc(gap)})`);
}

export async function replayLake(
  db: Db,
  lakeDir: string,
  domain: DomainContext,
  opts: ReplayOptions = {},
): Promise<ReplaySummary> {
  const batches = await listLakeBatches(lakeDir);
  const changes = await listReferenceChanges(lakeDir);
  // A spooled entry may or may not have committed: only the store it belongs to can say (at its next start).
  const spooled = await localIngestLake(lakeDir, silentLogger).spooled();
  if (spooled.length > 0)
    throw new LakeReplayError(
      `${spooled.length} batch(es) or reference change(s) of the lake are still spooled (first: ${spooled[0]!.kind} ` +
        `${spooled[0]!.batchId}); start the service on its store once, so they are published or dropped, ` +
        'then rebuild',
    );
  const entries = [...batches, ...changes].sort((a, b) => a.seq - b.seq);
  const firstBatch = batches[0];
  if (firstBatch && !opts.referenceCopied && !(changes[0] && changes[0].seq < firstBatch.seq))
    throw new LakeReplayError(
      `the lake holds no reference data before batch ${firstBatch.seq} (${firstBatch.batchId}): it was begun ` +
        'before reference changes were archived; rebuild with --reference <a copy of the store>',
    );
  const workDir = await mkdtemp(join(tmpdir(), 'convo-rebuild-'));
  let rows = 0;
  try {
    for (const [i, entry] of entries.entries()) {
      try {
        rows += await replayEntry(db, entry, workDir, domain);
      } catch (err) {
        const why =
          err instanceof AppError ? `${err.message} ${JSON.stringify(err.detail ?? {})}` : String(err);
        const what = entry.kind === 'reference' ? 'reference change' : 'batch';
        throw new LakeReplayError(
          `${what} ${entry.seq} (${entry.batchId}, ${entry.kind}) failed on replay: ${why}`,
        );
      }
      opts.onProgress?.({ done: i + 1, total: entries.length, batch: entry });
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const lastSeq = entries.at(-1)?.seq ?? 0;
  await advanceBatchSeq(db, lastSeq);
  return {
    batches: batches.length,
    units_batches: batches.filter((b) => b.kind === 'units').length,
    webhook_batches: batches.filter((b) => b.kind === 'webhooks').length,
    rows,
    reference_changes: changes.length,
    last_seq: lastSeq,
  };
}
