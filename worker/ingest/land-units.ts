/**
 * Lands a batch of billing-unit records: one INSERT INTO units that reads the source, types and checks every row,
 * and derives everything a row determines on its own — local day and month in the WABA's zone, regime, pricing
 * type before the free-tier ranking, counted/free/paid, card, rate and amount — with the same SQL expressions the
 * re-derivation UPDATEs use (classify-units). What needs the whole month (repeats, the free-tier ranking,
 * volume tiers, rollups) or a number lookup (records without market or country) is left to settleBatch.
 *
 * Two properties of DuckDB shape this statement:
 * - Rows appended in a transaction are very slow to change in it (updating 1 % of 5 M fresh rows made the
 *   commit 30× slower, deleting 1 % 130× slower), so everything is computed in the one pass.
 * - Only an insert without joins keeps input order (BATCH_INSERT), and input order is how settling knows
 *   which of two records of one unit came last. So the lookups are not joins: a key is cast to a temporary
 *   ENUM of the known keys (a hash lookup) and its code indexes bound lists — WABA → zone, currency, PMP
 *   switch — or a text of fixed-width fields: known number → its WABA, (card, market, category) → flat rate.
 *   The card in force is a CASE over the few rate cards.
 * A bad row stops the INSERT (error()), and the caller then names the issues from a raw re-read.
 */
import type { Queryable, SqlParams } from '../db/db.js';
import { fallbackRateCategorySql } from '../pricing/rate-card.js';
import { pricingTypeSql, regimeSql } from '../usage/classify-units.js';
import type { UnitFormat } from './ingest-format.js';
import { parseFailure, type RawSource } from './stage-units.js';
import { UNIT_INPUT_COLUMNS } from './type-staged-units.js';
import { ENUMS } from './unit-columns.js';
import { MARKET_KEY_TYPE, marketLookup, type MarketLookup } from './land-markets.js';
import { FAST_BAD_SQL, TS_MACRO } from './validate-staged-units.js';
import { sqlString } from '../kernel/sql-literal.js';

/** The message error() raises for a bad row; the caller recognises it and runs the full validation. */
export const BAD_ROW_MARKER = 'convo-insights: a row failed the ingest checks';

const WABA_KEY = 'ingest_waba_key';
const PHONE_KEY = 'ingest_phone_key';
const MARKET_KEY = 'ingest_market_key';
/** A first ENUM value no id can equal (ids are required non-blank), so no key type is ever empty. */
const SENTINEL = '';

/** Typed columns (named as in units) plus the raw text of each typed column, for FAST_BAD_SQL. */
const TYPED = `
  s.unit_id, s.pricing_model, s.unit, s.waba_id, s.phone_number_id,
  -- The checks let through at most one leading '+' (ltrim with a character set costs 0.3 s per million rows).
  CASE WHEN starts_with(s.recipient_wa_id, '+') THEN substr(s.recipient_wa_id, 2) ELSE s.recipient_wa_id END
    AS recipient_wa_id, s.recipient_wa_id AS r_recipient_wa_id,
  s.recipient_country, s.market, s.category, s.pricing_type AS pricing_type_in, s.direction,
  TRY_CAST(s.billable_reported AS BOOLEAN) AS billable_reported, s.billable_reported AS r_billable_reported,
  ingest_ts(s.opened_at) AS opened_at, ingest_ts(s.expires_at) AS expires_at, s.expires_at AS r_expires_at,
  s.ingested_at AS r_ingested_at, ingest_ts(s.ingested_at) AS source_ingested_at, s.template_name,
  TRY_CAST(s.is_template AS BOOLEAN) AS is_template, s.is_template AS r_is_template,
  TRY_CAST(s.in_csw AS BOOLEAN) AS in_csw, s.in_csw AS r_in_csw,
  TRY_CAST(s.in_fep AS BOOLEAN) AS in_fep, s.in_fep AS r_in_fep, s.status_final,
  TRY_CAST(s.rate AS DECIMAL(18, 6)) AS rate_in, s.rate AS r_rate,
  TRY_CAST(s.cost AS DECIMAL(18, 6)) AS cost_in, s.cost AS r_cost,
  s.tier AS tier_in, s.source, s.waba_timezone, s.currency, s.display_phone_number,
  enum_code(TRY_CAST(s.waba_id AS ${WABA_KEY})) + 1 AS w_i,
  enum_code(TRY_CAST(s.phone_number_id AS ${PHONE_KEY})) + 1 AS p_i`;

/** Past this many zones the rest are converted per row (still right, a little slower). */
const MAX_ZONE_BRANCHES = 64;

/** local_day in the WABA's zone: a constant zone per branch converts ~7× faster than a zone read per row. */
function localDaySql(zones: readonly string[]): string {
  const branches = zones
    .slice(0, MAX_ZONE_BRANCHES)
    .map((z) => `WHEN ${sqlString(z)} THEN CAST(timezone(${sqlString(z)}, t.opened_at) AS DATE)`)
    .join(' ');
  const perRow = 'CAST(timezone(t.w_timezone, t.opened_at) AS DATE)';
  // A caller without WABAs has no branch (and every row is refused as not its WABA's).
  return branches ? `CASE t.w_timezone ${branches} ELSE ${perRow} END` : perRow;
}

interface Card {
  readonly currency: string;
  readonly pricing_model: string;
  readonly effective_from: string;
}

/** The 1-based index of the card in force for (currency, pricing model, local day), NULL when none. */
function cardIndexSql(cards: readonly Card[], u: string): string {
  const groups = new Map<string, { c: Card; i: number }[]>();
  cards.forEach((c, i) => {
    const k = `${c.currency}\u0000${c.pricing_model}`;
    groups.set(k, [...(groups.get(k) ?? []), { c, i: i + 1 }]);
  });
  if (groups.size === 0) return 'CAST(NULL AS INTEGER)';
  const arms = [...groups.values()].map((g) => {
    const byDate = [...g].sort((a, b) => (a.c.effective_from < b.c.effective_from ? 1 : -1));
    const first = byDate[0]!.c;
    const inner = byDate
      .map(({ c, i }) => `WHEN ${u}.local_day >= DATE ${sqlString(c.effective_from)} THEN ${i}`)
      .join(' ');
    return `WHEN ${u}.w_currency = ${sqlString(first.currency)} AND ${u}.pricing_model = ${sqlString(first.pricing_model)} THEN CASE ${inner} END`;
  });
  return `CASE ${arms.join(' ')} END`;
}

function landSql(
  zones: readonly string[],
  cards: readonly Card[],
  markets: number,
  rateWidth: number,
  wabaWidth: number,
  market: MarketLookup | null,
): string {
  const categories = ENUMS.category.length;
  // The market the number decides (land-markets.ts), for records that name one; without a lookup, the named one.
  const checked = market ? `CASE WHEN c.market IS NOT NULL THEN ${market.sql('c')} END` : 'c.market';
  // Layers: t typed and checked → c with the local calendar → d with the regime → e with the pricing type and
  // the card → f with the flat rate of (card, market, category).
  return `
INSERT INTO units (${UNIT_INPUT_COLUMNS.join(', ')}, ingested_at, local_day, local_month, regime, pricing_type,
                   is_counted, is_free, is_paid, rate, amount, rate_card_id, tier, batch_seq, display_phone_number,
                   reported_at, market_reported)
SELECT ${UNIT_INPUT_COLUMNS.map((c) => (c === 'market' ? 'f.market_checked' : `f.${c}`)).join(', ')},
       $now::TIMESTAMPTZ, f.local_day, f.local_month,
       f.regime, f.pricing_type,
       f.pricing_type <> 'not_delivered', f.pricing_type NOT IN ('regular', 'not_delivered'), f.pricing_type = 'regular',
       CASE WHEN f.pricing_type = 'regular' THEN COALESCE(f.flat_rate, f.rate_in, f.cost_in) END,
       CASE WHEN f.pricing_type = 'regular' THEN COALESCE(f.flat_rate, f.cost_in, f.rate_in) END,
       CASE WHEN f.pricing_type = 'regular' AND f.flat_rate IS NOT NULL THEN list_extract($card_ids, f.card_i) END,
       CASE WHEN f.pricing_type = 'regular' AND f.flat_rate IS NULL THEN f.tier_in END,
       $seq::BIGINT, f.new_number_display, f.source_ingested_at,
       CASE WHEN f.market <> f.market_checked THEN f.market END
  FROM (
    SELECT e.*, TRY_CAST(NULLIF(substr($rates, (
             (e.card_i - 1) * ${markets * categories}
             -- enum_code is as narrow as the ENUM (UINT8 up to 255 values): widened before multiplying.
             + CAST(enum_code(TRY_CAST(e.market_checked AS ${MARKET_KEY})) AS INTEGER) * ${categories}
             + CAST(enum_code(CAST(e.category AS unit_category)) AS INTEGER)) * ${rateWidth} + 1, ${rateWidth}),
             ${sqlString(' '.repeat(rateWidth))}) AS DECIMAL(18, 6)) AS flat_rate
      FROM (
        SELECT d.*, ${pricingTypeSql('d')} AS pricing_type, ${cardIndexSql(cards, 'd')} AS card_i FROM (
          SELECT c.*, ${regimeSql('c', 'c.pmp_from')} AS regime, ${checked} AS market_checked FROM (
            SELECT t.*, CASE WHEN t.p_i IS NULL THEN t.display_phone_number END AS new_number_display,
                   ${localDaySql(zones)} AS local_day,
                   CAST(date_trunc('month', local_day) AS DATE) AS local_month
              FROM (
                SELECT l.*, NULLIF(list_extract($w_tz, l.w_i), '') AS w_timezone,
                       NULLIF(list_extract($w_cur, l.w_i), '') AS w_currency,
                       CAST(NULLIF(list_extract($w_pmp, l.w_i), '') AS DATE) AS pmp_from,
                       NULLIF(rtrim(substr($p_waba, (l.p_i - 1) * ${wabaWidth} + 1, ${wabaWidth})), '') AS p_waba
                  FROM (SELECT ${TYPED} FROM ($source) s) l) t
             WHERE CASE WHEN ${FAST_BAD_SQL} THEN error(${sqlString(BAD_ROW_MARKER)}) ELSE true END) c) d) e) f`;
}

export interface LandInput {
  readonly source: RawSource;
  readonly format: UnitFormat;
  /** The calling partner; null = admin (any existing WABA). */
  readonly partnerId: string | null;
  readonly seq: number;
  readonly now: Date;
}

/** Creates a temporary ENUM of `values` (after the sentinel) for O(1) lookups by enum_code. */
async function createKey(tx: Queryable, name: string, values: readonly string[]): Promise<void> {
  await tx.run(`DROP TYPE IF EXISTS ${name}`);
  await tx.run(
    'CREATE OR REPLACE TEMP TABLE ingest_key_values AS SELECT unnest($values) AS v, generate_subscripts($values, 1) AS i',
    { values: [SENTINEL, ...values] },
  );
  // The ENUM takes the values in query order, so enum_code(v) + 1 is v's position in the bound lists.
  await tx.run(`CREATE TYPE ${name} AS ENUM (SELECT v FROM ingest_key_values ORDER BY i)`);
  await tx.run('DROP TABLE ingest_key_values');
}

export async function dropLandTypes(tx: Queryable): Promise<void> {
  for (const t of [WABA_KEY, PHONE_KEY, MARKET_KEY, MARKET_KEY_TYPE])
    await tx.run(`DROP TYPE IF EXISTS ${t}`);
}

export interface Landed {
  /** How many records the batch had. */
  readonly rows: number;
  /** Whether their markets were checked against their numbers while landing (else settleMarkets checks them). */
  readonly marketsChecked: boolean;
}

/** Inserts the batch into units under batch_seq = seq. */
export async function landUnits(tx: Queryable, input: LandInput): Promise<Landed> {
  await tx.run(TS_MACRO);
  const wabas = await tx.all<{ waba_id: string; timezone: string; currency: string; pmp_from: string }>(
    `SELECT waba_id, timezone, currency, strftime(pmp_from, '%Y-%m-%d') AS pmp_from FROM wabas
      WHERE $partner IS NULL OR partner_id = $partner ORDER BY waba_id`,
    { partner: input.partnerId },
  );
  const phones = await tx.all<{ phone_number_id: string; waba_id: string }>(
    'SELECT phone_number_id, waba_id FROM phone_numbers ORDER BY phone_number_id',
  );
  const cards = await tx.all<Card & { card_id: string }>(
    `SELECT card_id, currency, pricing_model, strftime(effective_from, '%Y-%m-%d') AS effective_from
       FROM rate_cards ORDER BY card_id`,
  );
  const markets = (
    await tx.all<{ market: string }>('SELECT DISTINCT market FROM rate_card_rates ORDER BY market')
  ).map((m) => m.market);
  // Flat rates by (card, market, category); a category the card has no rate for takes its fallback's
  // (authentication_international → authentication, group_* → the one-to-one category, PMP service → utility),
  // as in priceUnits.
  const rateRows = await tx.all<{ card_id: string; market: string; category: string; rate: string }>(
    `WITH cats AS (SELECT unnest($categories) AS category)
     SELECT r.card_id, r.market, c.category, CAST(COALESCE(ri.rate, ra.rate) AS VARCHAR) AS rate
       FROM (SELECT DISTINCT x.card_id, x.market, k.pricing_model FROM rate_card_rates x
               JOIN rate_cards k ON k.card_id = x.card_id) r CROSS JOIN cats c
       LEFT JOIN rate_card_rates ri ON ri.card_id = r.card_id AND ri.market = r.market AND ri.category = c.category
       LEFT JOIN rate_card_rates ra
         ON ra.card_id = r.card_id AND ra.market = r.market AND ra.category = ${fallbackRateCategorySql('c.category', 'r.pricing_model')}
      WHERE COALESCE(ri.rate, ra.rate) IS NOT NULL`,
    { categories: [...ENUMS.category] },
  );
  const cardIndex = new Map(cards.map((c, i) => [c.card_id, i]));
  const marketIndex = new Map(markets.map((m, i) => [m, i + 1])); // 0 is the sentinel
  const categoryIndex = new Map<string, number>(ENUMS.category.map((c, i) => [c, i]));
  const stride = (markets.length + 1) * ENUMS.category.length;
  const rates = new Array<string>(Math.max(1, cards.length * stride)).fill('');
  for (const r of rateRows) {
    const ci = cardIndex.get(r.card_id);
    const mi = marketIndex.get(r.market);
    const ki = categoryIndex.get(r.category);
    if (ci === undefined || mi === undefined || ki === undefined) continue;
    rates[ci * stride + mi * ENUMS.category.length + ki] = r.rate;
  }
  await createKey(
    tx,
    WABA_KEY,
    wabas.map((w) => w.waba_id),
  );
  await createKey(
    tx,
    PHONE_KEY,
    phones.map((p) => p.phone_number_id),
  );
  await createKey(tx, MARKET_KEY, markets);
  const zones = [...new Set(wabas.map((w) => w.timezone))];
  // The rates travel as one text of fixed-width fields (blank = no rate), cut with substr: a bound list is
  // copied for every chunk of rows it is read from, which cost 0.5 s per million rows at 20 cards and grows
  // with every card, while a cut from one constant text costs the same whatever its length.
  const rateWidth = Math.max(1, ...rates.map((r) => r.length));
  // Known number → its WABA the same way, one fixed-width field per number (ids hold no spaces; the first field,
  // the sentinel's, is blank): a bound list of the numbers' WABAs slowed every chunk as the store grew.
  const wabaWidth = Math.max(1, ...phones.map((p) => p.waba_id.length));
  const market = await marketLookup(tx);
  const sql = landSql(zones, cards, markets.length + 1, rateWidth, wabaWidth, market).replace(
    '$source',
    () => input.source.sql,
  );
  const params: SqlParams = {
    ...input.source.params,
    now: input.now.toISOString(),
    seq: input.seq,
    // Position 1 of every lookup list belongs to the sentinel and is NULL-like.
    w_tz: [SENTINEL, ...wabas.map((w) => w.timezone)],
    w_cur: [SENTINEL, ...wabas.map((w) => w.currency)],
    w_pmp: [SENTINEL, ...wabas.map((w) => w.pmp_from)],
    p_waba: [SENTINEL, ...phones.map((p) => p.waba_id)].map((w) => w.padEnd(wabaWidth, ' ')).join(''),
    card_ids: cards.map((c) => c.card_id),
    rates: rates.map((r) => r.padStart(rateWidth, ' ')).join(''),
    ...market?.params,
  };
  await tx.run('SET preserve_insertion_order = true');
  let rows: number;
  try {
    const r = await tx.all<{ Count: string | number }>(sql, params);
    rows = Number(r[0]?.Count ?? 0);
  } catch (err) {
    if (err instanceof Error && err.message.includes(BAD_ROW_MARKER)) throw err;
    throw parseFailure(input.format, err);
  }
  await dropLandTypes(tx);
  return { rows, marketsChecked: market !== null };
}
