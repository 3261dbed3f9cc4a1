/**
 * Ingests one batch of billing-unit records (DOMAIN.md §9.2) atomically: land (read, check and derive every row
 * in one INSERT) → settle (new numbers, duplicates, free tier, volume tiers, rollups, ledger). Only a bad batch
 * is read a second time, raw, to name each issue.
 */
import type { Db, Queryable, WriteSession } from '../db/db.js';
import { spoolUnits } from '../lake/archive-batch.js';
import type { IngestLake, LakeBatch } from '../lake/ingest-lake.js';
import { recoverLake } from '../lake/recover-lake.js';
import type { UnitFormat } from './ingest-format.js';
import { BAD_ROW_MARKER, dropLandTypes, landUnits } from './land-units.js';
import { newBatchId, recordLanding, recordSettled, type IngestResult } from './record-batch.js';
import { discardBatch, discardInterruptedBatches } from './recover-batches.js';
import { BatchNeedsValidation, settleBatch, type SettleInput } from './settle-batch.js';
import {
  STAGE_TABLE,
  COLUMNS_TABLE,
  fileSource,
  stagedColumnsSource,
  stageRaw,
  type RawSource,
  type StagedColumns,
} from './stage-units.js';
import { validateStagedUnits } from './validate-staged-units.js';

export type UnitSource =
  | { readonly kind: 'file'; readonly path: string; readonly csvHeader?: readonly string[] }
  | { readonly kind: 'columns'; readonly columns: StagedColumns };

export interface IngestUnitsInput {
  readonly format: UnitFormat;
  readonly source: UnitSource;
  /** The calling partner; null = admin (any existing WABA). */
  readonly partnerId: string | null;
  readonly now: Date;
  /** Called between phases, for a CLI progress line. */
  readonly onPhase?: (phase: string) => void;
  /** Passed on to settleBatch, for benchmarks that split the settling time by step. */
  readonly onDeriveStep?: SettleInput['onStep'];
  /** The whole-month recompute the settling ends with (billing/recompute.ts). */
  readonly recompute: SettleInput['recompute'];
  /** The money plane, when it is a store of its own (numbers registered by the batch go there too). */
  readonly money?: SettleInput['money'];
  /** Where the accepted records are archived (the ingest lake); none = not archived. */
  readonly lake?: IngestLake;
  /** Runs inside the settling transaction, so that what it writes commits with the batch or not at all. */
  readonly inTransaction?: (tx: Queryable) => Promise<void>;
}

function fileFormat(f: UnitFormat): 'csv' | 'ndjson' | 'parquet' {
  if (f === 'arrow') throw new Error('Arrow input is staged from columns');
  return f;
}

async function dropTemp(tx: Queryable): Promise<void> {
  for (const t of [STAGE_TABLE, COLUMNS_TABLE, 'ingest_issues', 'ingest_key_values'])
    await tx.run(`DROP TABLE IF EXISTS temp.${t}`);
  await dropLandTypes(tx);
}

const isBadRow = (err: unknown) => err instanceof Error && err.message.includes(BAD_ROW_MARKER);

/** The batch's raw source, opened in the transaction that reads it (column arrays are staged per transaction). */
function openSource(tx: Queryable, input: IngestUnitsInput): Promise<RawSource> {
  return input.source.kind === 'file'
    ? fileSource(tx, input.source.path, fileFormat(input.format), input.source.csvHeader)
    : stagedColumnsSource(tx, input.source.columns);
}

/** Reads the batch again, raw, and throws the 422 naming its issues (nothing of the batch is in the store). */
async function rejectWithIssues(session: WriteSession, input: IngestUnitsInput): Promise<never> {
  await session.transaction(async (tx) => {
    try {
      await stageRaw(tx, await openSource(tx, input), input.format);
      await validateStagedUnits(tx, input.partnerId);
    } finally {
      await dropTemp(tx).catch(() => undefined);
    }
  });
  throw new Error('ingest: the fast checks and the full validation disagree');
}

const lakeInfo = (input: IngestUnitsInput) => ({
  receivedAt: input.now,
  partnerId: input.partnerId,
  format: input.format,
});

/**
 * Work started now and awaited later: `finished` settles either way (nothing is left unhandled while the caller
 * does other work), `done()` gives its outcome.
 */
function settleLater(work: Promise<void>): { finished: Promise<unknown>; done(): Promise<void> } {
  const finished = work.then(
    () => null,
    (err: unknown) => ({ err }),
  );
  return {
    finished,
    async done() {
      const r = await finished;
      if (r) throw r.err;
    },
  };
}

/**
 * Loads, checks and merges one batch in two transactions on a writer held throughout: landUnits (read, check and
 * derive every row in one INSERT), then settleBatch (duplicates, whole-month work). A bad row stops the first,
 * and a failure in the second discards the landed rows, so a refused batch leaves nothing behind; a process
 * stopped in between leaves a 'landing' batch that discardInterruptedBatches removes. Throws BatchRejectedError
 * (422) naming the issues of a bad batch.
 */
export async function ingestUnits(db: Db, input: IngestUnitsInput): Promise<IngestResult> {
  const phase = input.onPhase ?? (() => {});
  const lake = input.lake;
  return db.writeSession(async (session) => {
    await session.transaction((tx) => discardInterruptedBatches(tx));
    if (lake) await session.transaction((tx) => recoverLake(tx, lake));
    const batchId = newBatchId(input.now);
    phase('reading');
    let landed: { seq: number; rows: number; marketsChecked: boolean };
    try {
      landed = await session.transaction(async (tx) => {
        try {
          const source = await openSource(tx, input);
          const seq = await recordLanding(
            tx,
            { batch_id: batchId, format: input.format, rows: 0 },
            input.partnerId,
            input.now,
          );
          const land = await landUnits(tx, {
            source,
            format: input.format,
            partnerId: input.partnerId,
            seq,
            now: input.now,
          });
          return { seq, ...land };
        } finally {
          await dropTemp(tx).catch(() => undefined);
        }
      });
    } catch (err) {
      if (isBadRow(err)) return rejectWithIssues(session, input);
      throw err;
    }
    phase('settling');
    // The archive is written from the committed landing by a reader connection while the writer settles, and
    // made durable before the settling commits: a batch is 'done' (recoverLake publishes it) only with its spool.
    const spooled: LakeBatch | null =
      lake && landed.rows > 0 ? { kind: 'units', seq: landed.seq, batchId } : null;
    const spooling =
      spooled && lake ? settleLater(spoolUnits(db, lake, { ...spooled, ...lakeInfo(input) })) : null;
    try {
      const settledResult = await session.transaction(async (tx) => {
        const settled = await settleBatch(tx, {
          seq: landed.seq,
          marketsChecked: landed.marketsChecked,
          partnerId: input.partnerId,
          now: input.now,
          recompute: input.recompute,
          ...(input.money ? { money: input.money } : {}),
          ...(input.onDeriveStep ? { onStep: input.onDeriveStep } : {}),
        });
        const result: IngestResult = {
          batch_id: batchId,
          format: input.format,
          rows: landed.rows,
          inserted: settled.inserted,
          updated: settled.updated,
          duplicates: landed.rows - settled.inserted - settled.updated,
          months_recomputed: settled.scope,
          phone_numbers_registered: settled.registered,
          market_mismatch: settled.marketMismatch,
          ...(settled.stale > 0 ? { stale: settled.stale } : {}),
        };
        await recordSettled(tx, landed.seq, result);
        if (input.inTransaction) await input.inTransaction(tx);
        await spooling?.done();
        return result;
      });
      if (lake && spooled) await lake.publish(spooled);
      return settledResult;
    } catch (err) {
      if (lake && spooled) {
        await spooling?.finished;
        await lake.discard(spooled);
      }
      await session.transaction((tx) => discardBatch(tx, landed.seq));
      if (err instanceof BatchNeedsValidation) return rejectWithIssues(session, input);
      throw err;
    }
  });
}
