/**
 * Ingests one batch of billing-unit records (DOMAIN.md §9.2) atomically: read and type in one pass (with the
 * row-local checks as a flag) → ownership checks on the distinct WABA/number pairs → register unknown numbers →
 * merge → refreshDerived, all in one transaction, so a rejected batch leaves no trace. Only a bad batch is read a
 * second time, raw, to name each issue.
 */
import type { Db, Queryable } from '../db/db.js';
import { refreshDerived, type RefreshOptions } from '../usage/derive.js';
import type { UnitFormat } from './ingest-format.js';
import { mergeUnits } from './merge-units.js';
import { newBatchId, recordBatch, type IngestResult } from './record-batch.js';
import { registerPhones } from './register-phones.js';
import { STAGE_TABLE, columnsSource, fileSource, stageRaw, type StagedColumns } from './stage-units.js';
import { TYPED_TABLE, typeUnits } from './type-staged-units.js';
import { countOwnershipProblems, validateStagedUnits } from './validate-staged-units.js';

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
  /** Passed on to refreshDerived, for benchmarks that split the derivation time by step. */
  readonly onDeriveStep?: RefreshOptions['onStep'];
  /** Passed on to refreshDerived for the ledger sync. */
  readonly funding?: RefreshOptions['funding'];
}

function fileFormat(f: UnitFormat): 'csv' | 'ndjson' | 'parquet' {
  if (f === 'arrow') throw new Error('Arrow input is staged from columns');
  return f;
}

async function dropTemp(tx: Queryable): Promise<void> {
  for (const t of [STAGE_TABLE, TYPED_TABLE, 'ingest_issues', 'ingest_changed'])
    await tx.run(`DROP TABLE IF EXISTS temp.${t}`);
}

/** Loads, checks and merges one batch; throws BatchRejectedError (422) with nothing written if a row is bad. */
export async function ingestUnits(db: Db, input: IngestUnitsInput): Promise<IngestResult> {
  const phase = input.onPhase ?? (() => {});
  return db.transaction(async (tx) => {
    try {
      phase('reading');
      const source =
        input.source.kind === 'file'
          ? await fileSource(tx, input.source.path, fileFormat(input.format), input.source.csvHeader)
          : columnsSource(input.source.columns);
      const typed = await typeUnits(tx, source, input.format);
      phase('validating');
      if (typed.badRows > 0 || (await countOwnershipProblems(tx, TYPED_TABLE, input.partnerId)) > 0) {
        // Rare path: read the batch again, raw, to name every issue (validateStagedUnits throws).
        await stageRaw(tx, source, input.format);
        await validateStagedUnits(tx, input.partnerId);
        throw new Error('ingest: the fast checks and the full validation disagree');
      }
      phase('merging');
      const registered = await registerPhones(tx, TYPED_TABLE, input.now);
      const merged = await mergeUnits(tx, input.now);
      phase('deriving');
      const months = await refreshDerived(tx, {
        pending: true,
        wabaMonths: merged.oldMonths,
        ...(input.onDeriveStep ? { onStep: input.onDeriveStep } : {}),
        ...(input.funding ? { funding: input.funding } : {}),
      });
      const n = typed.rows;
      const result: IngestResult = {
        batch_id: newBatchId(input.now),
        format: input.format,
        rows: n,
        inserted: merged.inserted,
        updated: merged.updated,
        duplicates: n - merged.inserted - merged.updated,
        months_recomputed: months,
        phone_numbers_registered: registered,
      };
      await recordBatch(tx, result, input.partnerId, input.now);
      return result;
    } finally {
      await dropTemp(tx).catch(() => undefined);
    }
  });
}
