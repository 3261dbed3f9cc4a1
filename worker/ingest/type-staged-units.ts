/**
 * The fast path: reads the raw source once into `ingest_typed`, shaped like the input columns of `units`
 * (plus zone, currency and display number for the checks, and a `bad` flag from the row-local checks). A
 * unit_id that appears several times in one batch keeps its last record (later lines are later news).
 */
import type { Queryable } from '../db/db.js';
import type { UnitFormat } from './ingest-format.js';
import { parseFailure, type RawSource } from './stage-units.js';
import { ROW_BAD_SQL, TS_MACRO } from './validate-staged-units.js';

export const TYPED_TABLE = 'ingest_typed';

/** The input columns of `units` that a record sets; derived and priced columns stay NULL until refresh. */
export const UNIT_INPUT_COLUMNS = [
  'unit_id',
  'pricing_model',
  'unit',
  'waba_id',
  'phone_number_id',
  'recipient_wa_id',
  'recipient_country',
  'market',
  'category',
  'pricing_type_in',
  'direction',
  'billable_reported',
  'opened_at',
  'expires_at',
  'template_name',
  'is_template',
  'in_csw',
  'in_fep',
  'status_final',
  'rate_in',
  'cost_in',
  'tier_in',
  'source',
] as const;

// TRY_ casts: a bad value only sets `bad`, and the batch is then re-read to name it.
const TYPED_SELECT = `
  s.unit_id, s.pricing_model, s.unit, s.waba_id, s.phone_number_id,
  ltrim(s.recipient_wa_id, '+') AS recipient_wa_id, s.recipient_country, s.market, s.category,
  s.pricing_type AS pricing_type_in, s.direction, TRY_CAST(s.billable_reported AS BOOLEAN) AS billable_reported,
  ingest_ts(s.opened_at) AS opened_at, ingest_ts(s.expires_at) AS expires_at, s.template_name,
  TRY_CAST(s.is_template AS BOOLEAN) AS is_template, TRY_CAST(s.in_csw AS BOOLEAN) AS in_csw,
  TRY_CAST(s.in_fep AS BOOLEAN) AS in_fep, s.status_final,
  TRY_CAST(s.rate AS DECIMAL(18, 6)) AS rate_in, TRY_CAST(s.cost AS DECIMAL(18, 6)) AS cost_in,
  s.tier AS tier_in, s.source, s.waba_timezone, s.currency, s.display_phone_number`;

export interface TypedBatch {
  readonly rows: number;
  readonly badRows: number;
}

/** Builds ingest_typed from the source in one read; returns the record count and how many are bad. */
export async function typeUnits(tx: Queryable, source: RawSource, format: UnitFormat): Promise<TypedBatch> {
  await tx.run(TS_MACRO);
  // The dedupe below relies on rows being appended in input order (mergeUnits lifts this for its insert).
  await tx.run('SET preserve_insertion_order = true');
  try {
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE ${TYPED_TABLE} AS
         SELECT ${TYPED_SELECT}, COALESCE(${ROW_BAD_SQL}, false) AS bad FROM (${source.sql}) s`,
      source.params,
    );
  } catch (err) {
    throw parseFailure(format, err);
  }
  const [c] = await tx.all<{ n: number; d: number; bad: number }>(
    `SELECT count(*)::INTEGER AS n, count(DISTINCT unit_id)::INTEGER AS d,
            count(*) FILTER (WHERE bad)::INTEGER AS bad FROM ${TYPED_TABLE}`,
  );
  const rows = c?.n ?? 0;
  // Repeated unit_ids are rare: delete the superseded records rather than rewrite the whole batch.
  if (c && c.bad === 0 && c.n !== c.d) {
    // Rows were appended in input order, so rowid order is line order (no line column to number on the fast
    // path: a row_number() window would serialise the read).
    await tx.run(
      `DELETE FROM ${TYPED_TABLE} WHERE rowid IN (
         SELECT rowid FROM ${TYPED_TABLE}
          WHERE unit_id IN (SELECT unit_id FROM ${TYPED_TABLE} GROUP BY unit_id HAVING count(*) > 1)
         QUALIFY row_number() OVER (PARTITION BY unit_id ORDER BY rowid DESC) > 1)`,
    );
  }
  return { rows, badRows: c?.bad ?? 0 };
}
