/**
 * The rate per paid unit expected in each forecast month, for the charges forecast: the basis month's paid mix
 * (per market, category and unit) priced at the card in force on the first day of each forecast month.
 * While that card is the one that priced the basis month, the mix keeps its actual average (tiers included);
 * once a different card applies, each (market, category) takes the new card's rate (authentication_international
 * falling back to authentication, as in pricing; tiered pairs at their first-tier rate, an upper bound), and
 * a pair the card does not price keeps its actual average (over its priced units: unpriced ones are in neither
 * the amount nor the average, and a pair with none priced has no rate).
 */
import type { Queryable } from '../db/db.js';
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

export type { RateBasis } from './forecast-rate-sql.js';

/** phone_number_id → rate per paid unit (decimal string) for each forecast month, in `months` order. */
export async function loadRateOutlook(
  db: Queryable,
  q: {
    wabaId: string;
    currency: string;
    bases: readonly RateBasis[];
    months: readonly string[];
    /** Categories priced elsewhere (allowance-rates.ts), left out of the mix. */
    exclude?: readonly string[];
    /** The monthly rollup read (a replica that is not the usage source reads its copy of the published one). */
    monthly?: string;
  },
): Promise<Map<string, number[]>> {
  if (q.bases.length === 0 || q.months.length === 0) return new Map();
  const rows = await db.all<RateRow>(
    `WITH ${BASIS_CTE},
     mix AS (
       SELECT m.phone_number_id, b.bm, m.market, m.category,
              CASE WHEN m.unit = 'message' THEN 'PMP' ELSE 'CBP' END AS model,
              sum(m.n_paid) AS n, sum(m.n_paid - m.n_unpriced) AS priced, sum(m.amount) AS amt
         FROM ${q.monthly ?? 'usage_monthly'} m JOIN basis b ON b.phone_number_id = m.phone_number_id AND b.bm = m.local_month
        WHERE m.waba_id = $waba AND m.n_paid > 0 AND NOT list_contains($exclude, m.category)
        GROUP BY ALL),
     ${MONTHS_CTE},
     at_day AS (
       SELECT d, model, arg_max(c.card_id, c.effective_from) AS card_id
         FROM (SELECT fm AS d FROM fm UNION SELECT bm FROM basis) days
         CROSS JOIN (VALUES ('CBP'), ('PMP')) AS models(model)
         JOIN rate_cards c ON c.currency = $cur AND c.pricing_model = models.model AND c.effective_from <= days.d
        GROUP BY ALL),
     priced AS (
       SELECT mix.phone_number_id, fm.fm, mix.n,
              CASE WHEN cf.card_id IS NOT DISTINCT FROM cb.card_id THEN mix.amt / NULLIF(mix.priced, 0)
                   ELSE COALESCE(ri.rate, ra.rate, mix.amt / NULLIF(mix.priced, 0)) END AS unit_rate
         FROM mix CROSS JOIN fm
         LEFT JOIN at_day cf ON cf.d = fm.fm AND cf.model = mix.model
         LEFT JOIN at_day cb ON cb.d = mix.bm AND cb.model = mix.model
         ${mixRateJoinsSql('cf.card_id', 'mix.model')})
     ${WEIGHTED_RATE_SELECT}`,
    {
      waba: q.wabaId,
      cur: q.currency,
      exclude: [...(q.exclude ?? [])],
      ...basisParams(q.bases, q.months),
    },
  );
  return ratesPerMonth(rows, q.bases, q.months, false);
}
