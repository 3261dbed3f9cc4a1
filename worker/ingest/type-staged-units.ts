/**
 * Casts validated staged records into `ingest_typed`, shaped like the input columns of `units`. A unit_id that
 * appears several times in one batch keeps its last record (later lines are later news).
 */
import type { Queryable } from '../db/db.js';
import { STAGE_TABLE } from './stage-units.js';

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

const TYPED_SELECT = `
  unit_id, pricing_model, unit, waba_id, phone_number_id, ltrim(recipient_wa_id, '+') AS recipient_wa_id,
  recipient_country, market, category, pricing_type AS pricing_type_in, direction,
  CAST(billable_reported AS BOOLEAN) AS billable_reported,
  ingest_ts(opened_at) AS opened_at, ingest_ts(expires_at) AS expires_at, template_name,
  CAST(is_template AS BOOLEAN) AS is_template, CAST(in_csw AS BOOLEAN) AS in_csw,
  CAST(in_fep AS BOOLEAN) AS in_fep, status_final,
  CAST(rate AS DECIMAL(18, 6)) AS rate_in, CAST(cost AS DECIMAL(18, 6)) AS cost_in, tier AS tier_in, source`;

/** Builds ingest_typed from ingest_stage; returns the number of distinct units in the batch. */
export async function typeStagedUnits(tx: Queryable): Promise<number> {
  const [d] = await tx.all<{ n: string; d: string }>(
    `SELECT count(*) AS n, count(DISTINCT unit_id) AS d FROM ${STAGE_TABLE}`,
  );
  // The window that keeps the last record per unit_id costs a sort; skip it when the batch has no repeats.
  const dedupe = d && d.n !== d.d;
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ${TYPED_TABLE} AS
       SELECT ${TYPED_SELECT} FROM ${STAGE_TABLE}
       ${dedupe ? 'QUALIFY row_number() OVER (PARTITION BY unit_id ORDER BY line DESC) = 1' : ''}`,
  );
  return Number(d?.d ?? 0);
}
