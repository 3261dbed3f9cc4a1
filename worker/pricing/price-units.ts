/**
 * Prices the paid units of the given WABA months from the rate cards (DOMAIN.md §3, §4.3), set-based:
 * market from the recipient number when the record has none; the card in force is the latest one of the WABA's
 * currency and the unit's pricing model with effective_from ≤ the unit's local day; the rate is the card's
 * (market, category) rate, authentication_international falling back to the domestic authentication rate
 * when the card has no international one; PMP tiers number the paid units per WABA, local month and
 * (market, category) in opened_at order. A unit no card prices keeps the rate/cost its record carried, with
 * rate_card_id NULL. Free and uncounted units carry no rate or amount.
 */
import type { Queryable } from '../db/db.js';
import type { WabaMonth } from '../usage/scope.js';
import { marketSpansSql, prefixKeySql } from './market-sql.js';
import { OTHER_MARKET } from './market-table.js';
import { seedPricingData } from './seed-pricing-data.js';

const IN_SCOPE = (alias: string) =>
  `list_contains($keys, ${alias}.waba_id || '|' || strftime(${alias}.local_month, '%Y-%m-%d'))`;

// One pass over the scope computes market/country (when missing) and the price columns; only rows whose values
// change are rewritten. Cards are resolved per distinct (currency, model, local day), not per unit, and only
// paid units of tiered (card, market, category) pairs are numbered.
const PRICE_SQL = `
  CREATE OR REPLACE TEMP TABLE pricing_changes AS
    SELECT * FROM (
      WITH u0 AS (
        SELECT u.unit_id, u.waba_id, u.local_month, u.local_day, u.opened_at, u.market AS market_in,
               u.recipient_country AS country_in, u.recipient_wa_id, u.category, u.pricing_model, w.currency,
               u.rate_in, u.cost_in, u.tier_in, COALESCE(u.is_paid, false) AS is_paid,
               u.rate AS old_rate, u.amount AS old_amount, u.rate_card_id AS old_card, u.tier AS old_tier,
               ${prefixKeySql('u.recipient_wa_id')} AS pk
          FROM units u JOIN wabas w ON w.waba_id = u.waba_id
         WHERE ${IN_SCOPE('u')}),
      spans AS (${marketSpansSql(`SELECT pk FROM u0 WHERE market_in IS NULL OR country_in IS NULL`)}),
      u AS (
        SELECT u0.*,
               COALESCE(u0.market_in, sp.market, '${OTHER_MARKET}') AS market,
               COALESCE(u0.country_in, sp.country) AS country
          FROM u0 LEFT JOIN spans sp
            ON (u0.market_in IS NULL OR u0.country_in IS NULL)
           AND sp.pk = u0.pk AND u0.local_day >= sp.lo AND u0.local_day < sp.hi),
      days AS (SELECT DISTINCT currency, pricing_model, local_day FROM u WHERE is_paid),
      card AS (
        SELECT d.currency, d.pricing_model, d.local_day, arg_max(c.card_id, c.effective_from) AS card_id
          FROM days d JOIN rate_cards c
            ON c.currency = d.currency AND c.pricing_model = d.pricing_model AND c.effective_from <= d.local_day
         GROUP BY ALL),
      tiered_pairs AS (SELECT DISTINCT card_id, market, category FROM rate_card_tiers),
      rated AS (
        SELECT u.*, card.card_id AS card_in_force,
               COALESCE(ri.category, ra.category) AS rate_category, COALESCE(ri.rate, ra.rate) AS flat_rate
          FROM u
          LEFT JOIN card
            ON u.is_paid AND card.currency = u.currency AND card.pricing_model = u.pricing_model
           AND card.local_day = u.local_day
          LEFT JOIN rate_card_rates ri
            ON ri.card_id = card.card_id AND ri.market = u.market AND ri.category = u.category
          -- An equi-join on a computed category (a plain condition on u would force a nested-loop join).
          LEFT JOIN rate_card_rates ra
            ON ra.card_id = card.card_id AND ra.market = u.market
           AND ra.category = CASE WHEN u.category = 'authentication_international' THEN 'authentication' END),
      numbered AS (
        SELECT r.unit_id, r.card_in_force, r.market, r.rate_category,
               row_number() OVER (PARTITION BY r.waba_id, r.local_month, r.market, r.rate_category
                                  ORDER BY r.opened_at, r.unit_id) AS n,
               count(*) OVER (PARTITION BY r.waba_id, r.local_month, r.market, r.rate_category) AS month_total
          FROM rated r JOIN tiered_pairs tp
            ON tp.card_id = r.card_in_force AND tp.market = r.market AND tp.category = r.rate_category
         WHERE r.is_paid AND r.flat_rate IS NOT NULL),
      tiered AS (
        SELECT n.unit_id, t.rate AS tier_rate,
               t.tier_lower || ':' || COALESCE(CAST(t.tier_upper AS VARCHAR), 'MAX') AS tier_label
          FROM numbered n JOIN rate_card_tiers t
            ON t.card_id = n.card_in_force AND t.market = n.market AND t.category = n.rate_category
           AND (CASE WHEN t.marginal THEN n.n ELSE n.month_total END) >= t.tier_lower
           AND (t.tier_upper IS NULL OR (CASE WHEN t.marginal THEN n.n ELSE n.month_total END) <= t.tier_upper))
      SELECT r.unit_id, r.market, r.country, r.market_in, r.country_in, r.old_rate, r.old_amount, r.old_card,
             r.old_tier,
             CASE WHEN NOT r.is_paid THEN NULL WHEN r.flat_rate IS NOT NULL THEN COALESCE(t.tier_rate, r.flat_rate)
                  ELSE COALESCE(r.rate_in, r.cost_in) END AS rate,
             CASE WHEN NOT r.is_paid THEN NULL WHEN r.flat_rate IS NOT NULL THEN COALESCE(t.tier_rate, r.flat_rate)
                  ELSE COALESCE(r.cost_in, r.rate_in) END AS amount,
             CASE WHEN r.is_paid AND r.flat_rate IS NOT NULL THEN r.card_in_force END AS card_id,
             CASE WHEN NOT r.is_paid THEN NULL WHEN r.flat_rate IS NOT NULL THEN t.tier_label ELSE r.tier_in END AS tier
        FROM rated r LEFT JOIN tiered t ON t.unit_id = r.unit_id
    ) p
    -- Re-derivation mostly recomputes unchanged months: rows whose values stay are not rewritten.
    WHERE p.old_rate IS DISTINCT FROM p.rate OR p.old_amount IS DISTINCT FROM p.amount
       OR p.old_card IS DISTINCT FROM p.card_id OR p.old_tier IS DISTINCT FROM p.tier
       OR p.market_in IS DISTINCT FROM p.market OR p.country_in IS DISTINCT FROM p.country`;

const APPLY_SQL = `
  UPDATE units SET market = p.market, recipient_country = p.country, rate = p.rate, amount = p.amount,
                   rate_card_id = p.card_id, tier = p.tier
    FROM pricing_changes p
   WHERE units.unit_id = p.unit_id`;

/** Prices every unit of the given WABA months (whole months, since volume tiers count across the month). */
export async function priceUnits(tx: Queryable, scope: readonly WabaMonth[]): Promise<void> {
  if (scope.length === 0) return;
  await seedPricingData(tx, new Date());
  const keys = { keys: scope.map((s) => `${s.waba_id}|${s.month}`) };
  // Computed into a temp table first: an UPDATE joined straight to the big query plans far worse in DuckDB.
  await tx.run(PRICE_SQL, keys);
  await tx.run(APPLY_SQL);
  await tx.run('DROP TABLE pricing_changes');
}
