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
import { marketLookupSql } from './market-sql.js';
import { seedPricingData } from './seed-pricing-data.js';

const IN_SCOPE = (alias: string) =>
  `list_contains($keys, ${alias}.waba_id || '|' || strftime(${alias}.local_month, '%Y-%m-%d'))`;

const FILL_MARKETS = `
  UPDATE units SET market = COALESCE(units.market, x.market),
                   recipient_country = COALESCE(units.recipient_country, x.country)
    FROM (${marketLookupSql(`
      SELECT u.unit_id AS key, u.recipient_wa_id AS number, u.local_day AS day FROM units u
       WHERE ${IN_SCOPE('u')} AND (u.market IS NULL OR u.recipient_country IS NULL)`)}) x
   WHERE units.unit_id = x.key`;

const CLEAR_PRICES = `
  UPDATE units SET rate = NULL, amount = NULL, rate_card_id = NULL, tier = NULL WHERE ${IN_SCOPE('units')}`;

const PRICE_PAID = `
  UPDATE units SET rate = p.rate, amount = p.amount, rate_card_id = p.card_id, tier = p.tier
    FROM (
      WITH u AS (
        SELECT u.unit_id, u.waba_id, u.local_month, u.local_day, u.opened_at, u.market, u.category,
               u.pricing_model, w.currency, u.rate_in, u.cost_in, u.tier_in
          FROM units u JOIN wabas w ON w.waba_id = u.waba_id
         WHERE ${IN_SCOPE('u')} AND u.is_paid),
      card AS (
        SELECT u.unit_id, arg_max(c.card_id, c.effective_from) AS card_id
          FROM u JOIN rate_cards c
            ON c.currency = u.currency AND c.pricing_model = u.pricing_model AND c.effective_from <= u.local_day
         GROUP BY u.unit_id),
      rated AS (
        SELECT u.*, card.card_id AS card_in_force,
               COALESCE(ri.category, ra.category) AS rate_category, COALESCE(ri.rate, ra.rate) AS flat_rate
          FROM u LEFT JOIN card ON card.unit_id = u.unit_id
          LEFT JOIN rate_card_rates ri
            ON ri.card_id = card.card_id AND ri.market = u.market AND ri.category = u.category
          LEFT JOIN rate_card_rates ra
            ON u.category = 'authentication_international' AND ra.card_id = card.card_id
           AND ra.market = u.market AND ra.category = 'authentication'),
      numbered AS (
        SELECT *,
               row_number() OVER (PARTITION BY waba_id, local_month, market, rate_category
                                  ORDER BY opened_at, unit_id) AS n,
               count(*) OVER (PARTITION BY waba_id, local_month, market, rate_category) AS month_total
          FROM rated),
      tiered AS (
        SELECT n.unit_id, t.rate AS tier_rate,
               t.tier_lower || ':' || COALESCE(CAST(t.tier_upper AS VARCHAR), 'MAX') AS tier_label
          FROM numbered n JOIN rate_card_tiers t
            ON t.card_id = n.card_in_force AND t.market = n.market AND t.category = n.rate_category
           AND (CASE WHEN t.marginal THEN n.n ELSE n.month_total END) >= t.tier_lower
           AND (t.tier_upper IS NULL OR (CASE WHEN t.marginal THEN n.n ELSE n.month_total END) <= t.tier_upper))
      SELECT n.unit_id,
             CASE WHEN n.flat_rate IS NOT NULL THEN COALESCE(t.tier_rate, n.flat_rate)
                  ELSE COALESCE(n.rate_in, n.cost_in) END AS rate,
             CASE WHEN n.flat_rate IS NOT NULL THEN COALESCE(t.tier_rate, n.flat_rate)
                  ELSE COALESCE(n.cost_in, n.rate_in) END AS amount,
             CASE WHEN n.flat_rate IS NOT NULL THEN n.card_in_force END AS card_id,
             CASE WHEN n.flat_rate IS NOT NULL THEN t.tier_label ELSE n.tier_in END AS tier
        FROM numbered n LEFT JOIN tiered t ON t.unit_id = n.unit_id
    ) p
   WHERE units.unit_id = p.unit_id`;

/** Prices every unit of the given WABA months (whole months, since volume tiers count across the month). */
export async function priceUnits(tx: Queryable, scope: readonly WabaMonth[]): Promise<void> {
  if (scope.length === 0) return;
  await seedPricingData(tx, new Date());
  const keys = { keys: scope.map((s) => `${s.waba_id}|${s.month}`) };
  await tx.run(FILL_MARKETS, keys);
  await tx.run(CLEAR_PRICES, keys);
  await tx.run(PRICE_PAID, keys);
}
