/**
 * What the charges forecast's rate queries share (rate-outlook.ts for the paid mix, allowance-rates.ts for the
 * allowance's categories): each number's basis month and the forecast months as CTEs, the card rate of a mix row
 * with its fallback category, and the unit-weighted average per number and forecast month.
 */
import { fallbackRateCategorySql } from './rate-card.js';

export interface RateBasis {
  readonly phone_number_id: string;
  /** 'YYYY-MM' of the latest complete month with paid units. */
  readonly month: string;
}

export interface RateRow {
  phone_number_id: string;
  month: string;
  rate: string | null;
}

/** `basis` (phone_number_id, bm) and `fm` (fm): the CTEs bound by `basisParams`. */
export const BASIS_CTE = `basis AS (
       SELECT unnest($phones) AS phone_number_id, CAST(unnest($basis) AS DATE) AS bm)`;
export const MONTHS_CTE = `fm AS (SELECT CAST(unnest($months) AS DATE) AS fm)`;

export function basisParams(bases: readonly RateBasis[], months: readonly string[]) {
  return {
    phones: bases.map((b) => b.phone_number_id),
    basis: bases.map((b) => `${b.month}-01`),
    months: months.map((m) => `${m}-01`),
  };
}

/** `ri` (the category's own rate) and `ra` (its fallback category's) on card `cardId` for the `mix` row. */
export function mixRateJoinsSql(cardId: string, model: string): string {
  return `LEFT JOIN rate_card_rates ri
           ON ri.card_id = ${cardId} AND ri.market = mix.market AND ri.category = mix.category
         LEFT JOIN rate_card_rates ra
           ON ra.card_id = ${cardId} AND ra.market = mix.market
          AND ra.category = ${fallbackRateCategorySql('mix.category', model)}`;
}

/** The unit-weighted rate per number and forecast month over `priced` (phone_number_id, fm, n, unit_rate). */
export const WEIGHTED_RATE_SELECT = `SELECT phone_number_id, strftime(fm, '%Y-%m') AS month,
            CAST(sum(n * unit_rate) / sum(n) FILTER (WHERE unit_rate IS NOT NULL) AS DECIMAL(18, 6)) AS rate
       FROM priced GROUP BY ALL`;

/** The rows as phone_number_id → rate per forecast month (NaN where none); numbers without rows only if asked. */
export function ratesPerMonth(
  rows: readonly RateRow[],
  bases: readonly RateBasis[],
  months: readonly string[],
  keepNumbersWithoutRows: boolean,
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const b of bases) {
    const own = rows.filter((r) => r.phone_number_id === b.phone_number_id);
    if (own.length === 0 && !keepNumbersWithoutRows) continue;
    out.set(
      b.phone_number_id,
      months.map((m) => Number(own.find((r) => r.month === m)?.rate ?? NaN)),
    );
  }
  return out;
}
