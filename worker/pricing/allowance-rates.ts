/**
 * The rate per unit of the per-number allowance's categories (service) in each forecast month, for the charges
 * forecast: the number's market mix of those units in its latest month with any, priced at the per-message card
 * in force on the first day of each forecast month — the category's own rate, else its fallback (a Groups
 * category its one-to-one category, service the market's utility rate, as pricing does).
 */
import type { Queryable } from '../db/db.js';
import { ALLOWANCE_RULE } from './allowance-rule.js';
import { fallbackRateCategorySql } from './rate-card.js';
import type { RateBasis } from './rate-outlook.js';

/** phone_number_id → rate per unit for each forecast month (NaN where no card prices them). */
export async function loadAllowanceRates(
  db: Queryable,
  q: { wabaId: string; currency: string; bases: readonly RateBasis[]; months: readonly string[] },
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (q.bases.length === 0 || q.months.length === 0) return out;
  const rows = await db.all<{ phone_number_id: string; month: string; rate: string | null }>(
    `WITH basis AS (
       SELECT unnest($phones) AS phone_number_id, CAST(unnest($basis) AS DATE) AS bm),
     mix AS (
       SELECT m.phone_number_id, m.market, m.category, sum(m.n_all) AS n
         FROM usage_monthly m JOIN basis b ON b.phone_number_id = m.phone_number_id AND b.bm = m.local_month
        WHERE m.waba_id = $waba AND list_contains($cats, m.category) AND m.n_all > 0
        GROUP BY ALL),
     fm AS (SELECT CAST(unnest($months) AS DATE) AS fm),
     card AS (
       SELECT fm.fm, arg_max(c.card_id, c.effective_from) AS card_id
         FROM fm JOIN rate_cards c
           ON c.currency = $cur AND c.pricing_model = 'PMP' AND c.effective_from <= fm.fm
        GROUP BY ALL),
     priced AS (
       SELECT mix.phone_number_id, fm.fm, mix.n,
              COALESCE(ri.rate, ra.rate, ru.rate) AS unit_rate
         FROM mix CROSS JOIN fm
         LEFT JOIN card ON card.fm = fm.fm
         LEFT JOIN rate_card_rates ri
           ON ri.card_id = card.card_id AND ri.market = mix.market AND ri.category = mix.category
         LEFT JOIN rate_card_rates ra
           ON ra.card_id = card.card_id AND ra.market = mix.market
          AND ra.category = ${fallbackRateCategorySql('mix.category', "'PMP'")}
         LEFT JOIN rate_card_rates ru
           ON ru.card_id = card.card_id AND ru.market = mix.market
          AND ru.category = ${fallbackRateCategorySql("'service'", "'PMP'")})
     SELECT phone_number_id, strftime(fm, '%Y-%m') AS month,
            CAST(sum(n * unit_rate) / sum(n) FILTER (WHERE unit_rate IS NOT NULL) AS DECIMAL(18, 6)) AS rate
       FROM priced GROUP BY ALL`,
    {
      waba: q.wabaId,
      cur: q.currency,
      cats: [...ALLOWANCE_RULE.categories],
      phones: q.bases.map((b) => b.phone_number_id),
      basis: q.bases.map((b) => `${b.month}-01`),
      months: q.months.map((m) => `${m}-01`),
    },
  );
  for (const b of q.bases) {
    const own = rows.filter((r) => r.phone_number_id === b.phone_number_id);
    out.set(
      b.phone_number_id,
      q.months.map((m) => Number(own.find((r) => r.month === m)?.rate ?? NaN)),
    );
  }
  return out;
}
