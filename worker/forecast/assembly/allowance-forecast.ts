/**
 * Charges of the per-number allowance's categories (service) in each forecast month, applied as the rule change
 * it is: the categories' volume (all units, free and paid, converted across the per-message switch) is forecast
 * on its own, and each forecast month prices it under its own regime — free before the rule, then the units
 * beyond the number's monthly allowance at the rate of the card in force (allowance-rates.ts). A number that
 * only ever sent free service messages so gets service charges from the rule's first month, which no model
 * could learn from its charges history.
 */
import type { ForecastResult } from '../types.js';
import { ALLOWANCE_RULE, chargedUnits } from '../../pricing/allowance-rule.js';
import { seriesAcrossSwitch, type SeriesAcrossSwitch } from './history-across-switch.js';
import type { MonthPoint } from './monthly-history.js';

export interface AllowanceCharges {
  /** Forecast units of the allowance's categories per forecast month. */
  readonly units: number[];
  /** Forecast charges (currency units, not yet rounded) per forecast month. */
  readonly mean: number[];
  /** Half-widths below and above `mean` per level and forecast month. */
  readonly below: Map<number, number[]>;
  readonly above: Map<number, number[]>;
}

const ZERO = (n: number) => new Array<number>(n).fill(0);

export function forecastAllowanceCharges(
  months: readonly MonthPoint[],
  periods: readonly string[],
  rates: readonly number[] | undefined,
  pmpFrom: string,
  fit: (s: SeriesAcrossSwitch) => ForecastResult,
  levels: readonly number[],
): AllowanceCharges {
  const h = periods.length;
  const none: AllowanceCharges = {
    units: ZERO(h),
    mean: ZERO(h),
    below: new Map(levels.map((l) => [l, ZERO(h)])),
    above: new Map(levels.map((l) => [l, ZERO(h)])),
  };
  if (!months.some((m) => (m.allowance?.all ?? 0) > 0)) return none;
  const f = fit(seriesAcrossSwitch(months, (m) => m.allowance?.all ?? 0, 12));
  const rate = (i: number) => {
    const r = rates?.[i];
    return r !== undefined && Number.isFinite(r) ? r : 0;
  };
  const priced = (units: number, i: number) => chargedUnits(units, periods[i]!, pmpFrom) * rate(i);
  const mean = f.mean.map((u, i) => priced(u, i));
  const below = new Map<number, number[]>();
  const above = new Map<number, number[]>();
  for (const iv of f.intervals) {
    below.set(
      iv.level,
      mean.map((c, i) => c - priced(iv.lower[i]!, i)),
    );
    above.set(
      iv.level,
      mean.map((c, i) => priced(iv.upper[i]!, i) - c),
    );
  }
  return { units: f.mean, mean, below, above };
}

/** What the answer says about the rule it applied. */
export function describeAllowanceRule(periods: readonly string[], pmpFrom: string) {
  const first = periods.find((p) => chargedUnits(ALLOWANCE_RULE.units + 1, p, pmpFrom) > 0) ?? null;
  return {
    regime: ALLOWANCE_RULE.regime,
    from: ALLOWANCE_RULE.from,
    categories: ALLOWANCE_RULE.categories,
    free_units_per_number_and_month: ALLOWANCE_RULE.units,
    first_forecast_period_charged: first,
    note:
      `${ALLOWANCE_RULE.categories.join(' and ')} units are forecast apart and priced by the rule of each forecast ` +
      `month: free before ${ALLOWANCE_RULE.from}, then beyond ${ALLOWANCE_RULE.units} per number and month at ` +
      'the rate of the card in force.',
  };
}
