/**
 * The rate per unit of the per-number allowance's categories (service) in each forecast month, for the charges
 * forecast: the number's market mix of those units in its latest month with any, priced at the per-message card
 * in force on the first day of each forecast month — the category's own rate, else its fallback (a Groups
 * category its one-to-one category, service the market's utility rate, as pricing does).
 */
import type { Queryable } from '../db/db.js';
import { ALLOWANCE_RULE } from './allowance-rule.js';
import {
  basisParams,
  BASIS_CTE,
  mixRateJoinsSql,
  MONTHS_CTE,
  ratesPerMonth,
  WEIGHTED_RATE_SELECT,
  type RateBasis,
  type RateRow,
} from './forecast-rate-sql.js';
import { fallbackRateCategorySql } from './rate-card.js';

/** phone_number_id → rate per unit for each forecast month (NaN where no card prices them). */
export async function loadAllowanceRates(
  db: Queryable,
  q: {
    wabaId: string;
    currency: string;
    bases: readonly RateBasis[];
    months: readonly string[];
    /** The monthly rollup read (a replica that is not the usage source reads its copy of the published one). */
    monthly?: string;
  },
): Promise<Map<string, number[]>> {
  if (q.bases.length === 0 || q.months.length === 0) return new Map();
  const rows = await db.all<RateRow>(
    `WITH ${BASIS_CTE},
     mix AS (
       SELECT m.phone_number_id, m.market, m.category, sum(m.n_all) AS n
         FROM ${q.monthly ?? 'usage_monthly'} m JOIN basis b ON b.phone_number_id = m.phone_number_id AND b.bm = m.local_month
        WHERE m.waba_id = $waba AND list_contains($cats, m.category) AND m.n_all > 0
        GROUP BY ALL),
     ${MONTHS_CTE},
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
         ${mixRateJoinsSql('card.card_id', "'PMP'")}
         LEFT JOIN rate_card_rates ru
           ON ru.card_id = card.card_id AND ru.market = mix.market
          AND ru.category = ${fallbackRateCategorySql("'service'", "'PMP'")})
     ${WEIGHTED_RATE_SELECT}`,
    {
      waba: q.wabaId,
      cur: q.currency,
      cats: [...ALLOWANCE_RULE.categories],
      ...basisParams(q.bases, q.months),
    },
  );
  return ratesPerMonth(rows, q.bases, q.months, true);
}
