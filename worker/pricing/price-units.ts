/**
 * Prices the paid units of the given WABA months from the rate cards (DOMAIN.md §3, §4.3), set-based:
 * market from the recipient number when the record has none; the card in force is the latest one of the WABA's
 * currency and the unit's pricing model with effective_from ≤ the unit's local day; the rate is the card's
 * (market, category) rate, authentication_international falling back to the domestic authentication rate


 * rate_card_id NULL. Free and uncounted units carry no rate or amount. Under per-message pricing a service message
 * without a service row takes the market's utility rate; service never counts toward a volume tier.
 */
import type { Queryable } from '../db/db.js';
import { SCOPE_ROWS, scopeParams, scopeRange, type WabaMonth } from '../kernel/waba-month.js';
import { marketSpansSql, prefixKeyLength, prefixKeySql } from './market-sql.js';
import { OTHER_MARKET } from './market-table.js';
import { tierGroupSql } from './portfolio-scope.js';
import { fallbackRateCategorySql } from './rate-card.js';

// Every statement scopes units by a semi-join on the small scope table plus a constant local_month range
// (row-group pruning), never by a per-row string test, and never by joining the scope on local_month: inside
// the ingest transaction local_month was just written on freshly appended rows, and DuckDB 1.5 joins on such a
// column 15–20× slower than it evaluates the same IN list (test/bench/core-update-join.ts). The WABA (for its
// currency) joins on waba_id, which ingest never updates. Units are addressed by rowid (stable inside the
// transaction; as in classify-units, cheaper to join than the VARCHAR unit_id).
const SCOPED_UNITS = `units u JOIN wabas s ON s.waba_id = u.waba_id`;
const IN_SCOPE = `(u.waba_id, u.local_month) IN (SELECT waba_id, month FROM (${SCOPE_ROWS})) AND ${scopeRange('u')}`;

// Small side tables, built once per call. Market spans only for the span keys of units lacking market or country.
const spansSql = (key: string) => `
  CREATE OR REPLACE TEMP TABLE pricing_spans AS
  ${marketSpansSql(`SELECT ${key} AS pk FROM ${SCOPED_UNITS}
                     WHERE (u.market IS NULL OR u.recipient_country IS NULL) AND ${IN_SCOPE}`)}`;

// Market and country for the units lacking them, written first so every later pass reads units.market. Only
// values that change are written (a number with no country in any span keeps its NULL without a rewrite).
const setMarketSql = (key: string) => `
  UPDATE units SET market = COALESCE(units.market, m.market, '${OTHER_MARKET}'),
                   recipient_country = COALESCE(units.recipient_country, m.country)
    FROM (
      SELECT u.rowid AS rid, sp.market, sp.country
        FROM ${SCOPED_UNITS}
        LEFT JOIN pricing_spans sp
          ON sp.pk = ${key} AND u.local_day >= sp.lo AND u.local_day < sp.hi
       WHERE (u.market IS NULL OR u.recipient_country IS NULL) AND ${IN_SCOPE}
         AND (u.market IS NULL OR sp.country IS NOT NULL)) m
   WHERE units.rowid = m.rid`;

// The card in force for every (currency, model, day) the scope's months can hold, from the calendar rather
// than from the units: a few thousand rows that units then equi-join.
const CARD_DAYS_SQL = `
  CREATE OR REPLACE TEMP TABLE pricing_card_days AS
  SELECT c.currency, c.pricing_model, d.day AS local_day, arg_max(c.card_id, c.effective_from) AS card_id
    FROM (SELECT CAST(unnest(generate_series(CAST($scope_min AS DATE),
                  CAST($scope_max AS DATE) + INTERVAL 1 MONTH - INTERVAL 1 DAY, INTERVAL 1 DAY)) AS DATE) AS day) d
    JOIN rate_cards c ON c.effective_from <= d.day
   GROUP BY ALL`;

/**
 * The scoped units (those matching `filter`) with card and flat rate resolved — hash joins only. Join
 * conditions stay pure equalities: a condition on the unit side alone in a LEFT JOIN makes DuckDB fall back to
 * a nested-loop join.
 */
const resolvedSql = (filter: string) => `
  SELECT r.*, COALESCE(ri.category, ra.category) AS rate_category, COALESCE(ri.rate, ra.rate) AS flat_rate
    FROM (
      SELECT u.rowid AS rid, u.unit_id, u.waba_id, u.local_month, u.opened_at, u.category, u.pricing_model,
             u.rate_in, u.cost_in, u.tier_in, COALESCE(u.is_paid, false) AS is_paid, u.rate AS old_rate,
             u.amount AS old_amount, u.rate_card_id AS old_card, u.tier AS old_tier,
             COALESCE(u.market, '${OTHER_MARKET}') AS market, cd.card_id AS card_in_force,
             ${tierGroupSql('s')} AS tier_group
        FROM ${SCOPED_UNITS}
        LEFT JOIN pricing_card_days cd
          ON cd.currency = s.currency AND cd.pricing_model = u.pricing_model AND cd.local_day = u.local_day
       WHERE ${IN_SCOPE} AND ${filter}) r
    LEFT JOIN rate_card_rates ri
      ON ri.card_id = r.card_in_force AND ri.market = r.market AND ri.category = r.category
    -- An equi-join on a computed category (a plain condition on r would force a nested-loop join).
    LEFT JOIN rate_card_rates ra
      ON ra.card_id = r.card_in_force AND ra.market = r.market
     AND ra.category = ${fallbackRateCategorySql('r.category', 'r.pricing_model')}`;

const TIER_CANDIDATE = `u.is_paid
  AND (u.category = 'authentication_international' OR u.category IN (SELECT category FROM rate_card_tiers))
  AND COALESCE(u.market, '${OTHER_MARKET}') IN (SELECT market FROM rate_card_tiers)
  AND (s.currency, u.pricing_model) IN (SELECT c.currency, c.pricing_model FROM rate_cards c
                                          JOIN rate_card_tiers t ON t.card_id = c.card_id)`;

// Tiers: numbered per business portfolio (tier_group: the WABA alone unless it has one), local month and
// (market, category); the caller's scope holds the whole portfolio (withPortfolioSiblings). Only paid units
// that can fall in a tiered (card, market, category) pair are resolved and numbered here (a prefilter on category keeps the window small), so the main pass needs no window at all.
const TIERS_SQL = `
  CREATE OR REPLACE TEMP TABLE pricing_tiers AS
  WITH numbered AS (
    SELECT r.rid, r.card_in_force, r.market, r.rate_category,
           row_number() OVER (PARTITION BY r.tier_group, r.local_month, r.market, r.rate_category
                              ORDER BY r.opened_at, r.unit_id) AS n,
           count(*) OVER (PARTITION BY r.tier_group, r.local_month, r.market, r.rate_category) AS month_total
      FROM (${resolvedSql(TIER_CANDIDATE)}) r
      JOIN (SELECT DISTINCT card_id, market, category FROM rate_card_tiers) tp
        ON tp.card_id = r.card_in_force AND tp.market = r.market AND tp.category = r.rate_category
     WHERE r.flat_rate IS NOT NULL)
  SELECT n.rid, t.rate AS tier_rate,
         t.tier_lower || ':' || COALESCE(CAST(t.tier_upper AS VARCHAR), 'MAX') AS tier_label
    FROM numbered n JOIN rate_card_tiers t
      ON t.card_id = n.card_in_force AND t.market = n.market AND t.category = n.rate_category
     AND (CASE WHEN t.marginal THEN n.n ELSE n.month_total END) >= t.tier_lower
     AND (t.tier_upper IS NULL OR (CASE WHEN t.marginal THEN n.n ELSE n.month_total END) <= t.tier_upper)`;

// Most scopes have no tiered card in their currencies (USD has none): then the tier pass is skipped.
const TIERED_SCOPE_SQL = `
  SELECT 1 FROM wabas w JOIN rate_cards c ON c.currency = w.currency JOIN rate_card_tiers t ON t.card_id = c.card_id
   WHERE w.waba_id IN (SELECT unnest($scope_wabas)) LIMIT 1`;
const NO_TIERS_SQL = `
  CREATE OR REPLACE TEMP TABLE pricing_tiers (rid BIGINT, tier_rate DECIMAL(18, 6), tier_label VARCHAR)`;

// The changed price columns are materialised first, then written by a rowid join. Inside the ingest
// transaction (rows appended and bucketed in it) this is 4.0 s against 9.0 s for one UPDATE straight from the
// query at 5 M units (npm run bench); on committed data the direct UPDATE was ~25% faster
// (test/bench/price-units.ts), but ingest is where the volume is.
const changesSql = (rows: string) => `
  CREATE OR REPLACE TEMP TABLE pricing_changes AS
  SELECT c.rid, c.rate, c.amount, c.card_id, c.tier FROM (
      SELECT r.rid, r.old_rate, r.old_amount, r.old_card, r.old_tier,
             CASE WHEN NOT r.is_paid THEN NULL WHEN r.flat_rate IS NOT NULL THEN COALESCE(t.tier_rate, r.flat_rate)
                  ELSE COALESCE(r.rate_in, r.cost_in) END AS rate,
             CASE WHEN NOT r.is_paid THEN NULL WHEN r.flat_rate IS NOT NULL THEN COALESCE(t.tier_rate, r.flat_rate)
                  ELSE COALESCE(r.cost_in, r.rate_in) END AS amount,
             CASE WHEN r.is_paid AND r.flat_rate IS NOT NULL THEN r.card_in_force END AS card_id,
             CASE WHEN NOT r.is_paid THEN NULL WHEN r.flat_rate IS NOT NULL THEN t.tier_label ELSE r.tier_in END AS tier
        FROM (${resolvedSql(rows)}) r LEFT JOIN pricing_tiers t ON t.rid = r.rid) c
      -- Re-derivation mostly recomputes unchanged months: rows whose values stay are not rewritten.
      WHERE c.old_rate IS DISTINCT FROM c.rate OR c.old_amount IS DISTINCT FROM c.amount
         OR c.old_card IS DISTINCT FROM c.card_id OR c.old_tier IS DISTINCT FROM c.tier`;
const SET_PRICE_SQL = `
  UPDATE units SET rate = p.rate, amount = p.amount, rate_card_id = p.card_id, tier = p.tier
    FROM pricing_changes p
   WHERE units.rowid = p.rid`;

const CHANGES_SQL = changesSql('true');

export interface PriceOptions {
  /**
   * 'later' when the caller runs applyVolumeTiers over these months (or more) afterwards: units are then priced
   * at their pair's flat rate here and the tier pass, which would be done twice, is left to applyVolumeTiers.
   */
  readonly volumeTiers?: 'here' | 'later';
}

/**
 * Prices every unit of the given WABA months (whole months, since volume tiers count across the month), or,
 * with `only` (an SQL query of units' rowids), only those units — the tiers still counted over the whole months —
 * when the caller knows the others are priced already.
 */
export async function priceUnits(
  tx: Queryable,
  scope: readonly WabaMonth[],
  only?: string,
  options: PriceOptions = {},
): Promise<void> {
  if (scope.length === 0) return;
  const params = scopeParams(scope);
  const key = prefixKeySql('u.recipient_wa_id', await prefixKeyLength(tx));
  await tx.run(spansSql(key), params);
  await tx.run(setMarketSql(key), params);
  await tx.run(CARD_DAYS_SQL, { scope_min: params.scope_min ?? null, scope_max: params.scope_max ?? null });
  const tiered =
    options.volumeTiers === 'later'
      ? []
      : await tx.all(TIERED_SCOPE_SQL, { scope_wabas: params.scope_wabas ?? [] });
  await tx.run(tiered.length > 0 ? TIERS_SQL : NO_TIERS_SQL, tiered.length > 0 ? params : undefined);
  await tx.run(only ? changesSql(`u.rowid IN (${only})`) : CHANGES_SQL, params);
  await tx.run(SET_PRICE_SQL);
  for (const t of ['pricing_changes', 'pricing_tiers', 'pricing_card_days', 'pricing_spans']) {
    await tx.run(`DROP TABLE ${t}`);
  }
}

/**
 * Volume tiers alone, for WABA months whose units are otherwise priced (the bulk ingest prices each unit at its
 * pair's flat rate, the first tier's): numbers the paid units of tiered pairs and writes the rows whose tier,
 * rate or amount changes.
 */
export async function applyVolumeTiers(tx: Queryable, scope: readonly WabaMonth[]): Promise<void> {
  if (scope.length === 0) return;
  const params = scopeParams(scope);
  const tiered = await tx.all(TIERED_SCOPE_SQL, { scope_wabas: params.scope_wabas ?? [] });
  if (tiered.length === 0) return;
  await tx.run(CARD_DAYS_SQL, { scope_min: params.scope_min ?? null, scope_max: params.scope_max ?? null });
  await tx.run(TIERS_SQL, params);
  await tx.run(
    `UPDATE units SET rate = t.tier_rate, amount = t.tier_rate, tier = t.tier_label
       FROM pricing_tiers t
      WHERE units.rowid = t.rid
        AND (units.rate IS DISTINCT FROM t.tier_rate OR units.amount IS DISTINCT FROM t.tier_rate
             OR units.tier IS DISTINCT FROM t.tier_label)`,
  );
  for (const t of ['pricing_tiers', 'pricing_card_days']) await tx.run(`DROP TABLE ${t}`);
}
