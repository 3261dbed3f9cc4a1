/**
 * Lands a batch of billing-unit records: one INSERT INTO units that reads the source, types and checks every row,
 * and derives everything a row determines on its own — local day and month in the WABA's zone, regime, pricing
 * type before the free-tier ranking, counted/free/paid, market and country, card, rate and amount — with the
 * same SQL expressions the re-derivation UPDATEs use (classify-units, price-lookups). What needs the whole
 * month (duplicates, the free-tier ranking, volume tiers, rollups) is left to settleBatch.
 *
 * Everything is done in the one pass because DuckDB writes rows it has just appended in a transaction very
 * slowly a second time: updating 1 % of 5 M fresh rows made the commit 30× slower, deleting 1 % 130× slower.
 * A bad row stops the INSERT (error()), and the caller then names the issues from a raw re-read.
 */
import type { Queryable, SqlParams } from '../db/db.js';
import { buildPriceLookups, CARD_DAYS, MARKET_SPANS, RATES } from '../pricing/price-lookups.js';
import { OTHER_MARKET } from '../pricing/market-table.js';
import { pricingTypeSql, regimeSql } from '../usage/classify-units.js';
import type { UnitFormat } from './ingest-format.js';
import { parseFailure, type RawSource } from './stage-units.js';
import { UNIT_INPUT_COLUMNS } from './type-staged-units.js';
import { FAST_BAD_SQL, TS_MACRO } from './validate-staged-units.js';

/** The message error() raises for a bad row; the caller recognises it and runs the full validation. */
export const BAD_ROW_MARKER = 'convo-insights: a row failed the ingest checks';

const WABAS = 'ingest_wabas';

/** Typed columns (named as in units) plus the raw text of each typed column, for FAST_BAD_SQL. */
const TYPED = `
  s.unit_id, s.pricing_model, s.unit, s.waba_id, s.phone_number_id,
  ltrim(s.recipient_wa_id, '+') AS recipient_wa_id, s.recipient_wa_id AS r_recipient_wa_id,
  s.recipient_country, s.market, s.category, s.pricing_type AS pricing_type_in, s.direction,
  TRY_CAST(s.billable_reported AS BOOLEAN) AS billable_reported, s.billable_reported AS r_billable_reported,
  ingest_ts(s.opened_at) AS opened_at, ingest_ts(s.expires_at) AS expires_at, s.expires_at AS r_expires_at,
  s.ingested_at AS r_ingested_at, s.template_name,
  TRY_CAST(s.is_template AS BOOLEAN) AS is_template, s.is_template AS r_is_template,
  TRY_CAST(s.in_csw AS BOOLEAN) AS in_csw, s.in_csw AS r_in_csw,
  TRY_CAST(s.in_fep AS BOOLEAN) AS in_fep, s.in_fep AS r_in_fep, s.status_final,
  TRY_CAST(s.rate AS DECIMAL(18, 6)) AS rate_in, s.rate AS r_rate,
  TRY_CAST(s.cost AS DECIMAL(18, 6)) AS cost_in, s.cost AS r_cost,
  s.tier AS tier_in, s.source, s.waba_timezone, s.currency, s.display_phone_number`;

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** local_day in the WABA's zone: a constant zone per branch converts ~7× faster than a zone read per row. */
function localDaySql(zones: readonly string[]): string {
  const branches = zones
    .map((z) => `WHEN ${sqlString(z)} THEN CAST(timezone(${sqlString(z)}, t.opened_at) AS DATE)`)
    .join(' ');
  return `CASE w.timezone ${branches} ELSE CAST(timezone(w.timezone, t.opened_at) AS DATE) END`;
}

/** Past this many zones the rest are converted per row (still right, a little slower). */
const MAX_ZONE_BRANCHES = 64;

function landSql(zones: readonly string[], keyLength: number): string {
  const filled: Record<string, string> = { market: 'f.mk_market', recipient_country: 'f.mk_country' };
  const inputs = UNIT_INPUT_COLUMNS.map((c) => filled[c] ?? `f.${c}`).join(', ');
  // Layers: t typed and checked (joined to its WABA and known number) → c with the local calendar → d with the
  // regime → e with the pricing type → f with market and country → joined to the card and rate lookups.
  return `
INSERT INTO units (${UNIT_INPUT_COLUMNS.join(', ')}, ingested_at, local_day, local_month, regime, pricing_type,
                   is_counted, is_free, is_paid, rate, amount, rate_card_id, tier, batch_seq, display_phone_number)
SELECT ${inputs},
       $now::TIMESTAMPTZ, f.local_day, f.local_month, f.regime, f.pricing_type,
       f.pricing_type <> 'not_delivered', f.pricing_type NOT IN ('regular', 'not_delivered'), f.pricing_type = 'regular',
       CASE WHEN f.pricing_type = 'regular' THEN COALESCE(r.rate, f.rate_in, f.cost_in) END,
       CASE WHEN f.pricing_type = 'regular' THEN COALESCE(r.rate, f.cost_in, f.rate_in) END,
       CASE WHEN f.pricing_type = 'regular' AND r.rate IS NOT NULL THEN cd.card_id END,
       CASE WHEN f.pricing_type = 'regular' AND r.rate IS NULL THEN f.tier_in END,
       $seq::BIGINT, f.new_number_display
  FROM (
    SELECT e.*, COALESCE(e.market, sp.market, '${OTHER_MARKET}') AS mk_market,
           COALESCE(e.recipient_country, sp.country) AS mk_country
      FROM (
        SELECT d.*, ${pricingTypeSql('d')} AS pricing_type FROM (
          SELECT c.*, ${regimeSql('c', 'c.pmp_from')} AS regime FROM (
            SELECT t.*, w.currency AS waba_currency, w.pmp_from,
                   CASE WHEN p.phone_number_id IS NULL THEN t.display_phone_number END AS new_number_display,
                   ${localDaySql(zones.slice(0, MAX_ZONE_BRANCHES))} AS local_day,
                   CAST(date_trunc('month', local_day) AS DATE) AS local_month
              FROM (SELECT ${TYPED} FROM ($source) s) t
              LEFT JOIN ${WABAS} w ON w.waba_id = t.waba_id
              LEFT JOIN phone_numbers p ON p.phone_number_id = t.phone_number_id
             WHERE CASE WHEN ${FAST_BAD_SQL} THEN error(${sqlString(BAD_ROW_MARKER)}) ELSE true END) c) d) e
      -- Only rows lacking market or country look their number up (a NULL key matches nothing).
      LEFT JOIN ${MARKET_SPANS} sp
        ON sp.pk = CASE WHEN e.market IS NULL OR e.recipient_country IS NULL
                        THEN left(e.recipient_wa_id, ${keyLength}) END
       AND e.local_day >= sp.lo AND e.local_day < sp.hi) f
  LEFT JOIN ${CARD_DAYS} cd
    ON cd.currency = f.waba_currency AND cd.pricing_model = f.pricing_model
   AND cd.local_day = least(f.local_day, CAST($calendar_end AS DATE))
  LEFT JOIN ${RATES} r ON r.card_id = cd.card_id AND r.market = f.mk_market AND r.category = f.category`;
}

export interface LandInput {
  readonly source: RawSource;
  readonly format: UnitFormat;
  /** The calling partner; null = admin (any existing WABA). */
  readonly partnerId: string | null;
  readonly seq: number;
  readonly now: Date;
}

/** Inserts the batch into units under batch_seq = seq; returns how many records it had. */
export async function landUnits(tx: Queryable, input: LandInput): Promise<number> {
  await tx.run(TS_MACRO);
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ${WABAS} AS
       SELECT waba_id, timezone, currency, pmp_from FROM wabas WHERE $partner IS NULL OR partner_id = $partner`,
    { partner: input.partnerId },
  );
  const zones = (
    await tx.all<{ timezone: string }>(`SELECT timezone FROM ${WABAS} GROUP BY 1 ORDER BY count(*) DESC, 1`)
  ).map((z) => z.timezone);
  const lookups = await buildPriceLookups(tx);
  const sql = landSql(zones, lookups.keyLength).replace('$source', () => input.source.sql);
  const params: SqlParams = {
    ...input.source.params,
    now: input.now.toISOString(),
    seq: input.seq,
    calendar_end: lookups.calendarEnd ?? '1970-01-01',
  };
  // Rows must reach units in input order (rowid order = line order: the last record of a unit wins), and the
  // small lookups must be the hash tables: DuckDB cannot estimate a file's rows and may otherwise hash the batch.
  await tx.run('SET preserve_insertion_order = true');
  await tx.run(`SET disabled_optimizers = 'build_side_probe_side'`);
  let rows: number;
  try {
    const r = await tx.all<{ Count: string | number }>(sql, params);
    rows = Number(r[0]?.Count ?? 0);
  } catch (err) {
    if (err instanceof Error && err.message.includes(BAD_ROW_MARKER)) throw err;
    throw parseFailure(input.format, err);
  }
  await restoreLandSettings(tx);
  return rows;
}

/**
 * Puts back the optimizer setting landUnits changes. Settings outlive a transaction but cannot be changed in an
 * aborted one, so after a failed landing the caller runs this in a fresh transaction.
 */
export async function restoreLandSettings(tx: Queryable): Promise<void> {
  await tx.run('RESET disabled_optimizers');
}
