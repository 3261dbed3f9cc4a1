/**
 * Usage and charges forecasts for one phone number or one WABA from monthly history. Months before the
 * per-message switch are converted into message-equivalents where the data allow (history-across-switch.ts).
 *
 * Reconciliation is bottom-up: every number is forecast on its own and the WABA's point forecast is the sum of
 * the numbers' point forecasts, so per-number forecasts always add up to the WABA's. Interval widths cannot be
 * summed (numbers move together), and summing variances as if independent would make them too narrow, so the
 * WABA's intervals take their widths from a direct forecast of the WABA total, re-centred on the bottom-up mean
 * (lower bounds clipped at 0).
 *
 * Charges = forecast paid units × a rate per paid unit for each forecast month (rate-outlook.ts): the basis
 * month's (latest complete month with paid units) actual amount / paid, which carries its category/market mix
 * and tiers, for as long as the card that priced it stays in force; when another card takes effect in the
 * horizon, that mix re-priced at the new card. The categories of the per-number free allowance (service) are left
 * out of those paid units and priced by rule instead (allowance-forecast.ts): their volume is forecast per number
 * and charged beyond the allowance from the month the rule starts, which no charges history could teach a model.
 */
import { backtestSeries } from '../backtest-series.js';
import { forecastSeries } from '../forecast-series.js';
import type { ForecastResult } from '../types.js';
import { seriesAcrossSwitch, widenForRatio, type SeriesAcrossSwitch } from './history-across-switch.js';
import { describeAllowanceRule, forecastAllowanceCharges } from './allowance-forecast.js';
import { effectiveRate, paidOutsideAllowance, totalOf } from './month-totals.js';
import { addMonths } from '../../kernel/calendar.js';
import { fromMicros, toMicros } from '../../kernel/money.js';
import type { MonthPoint, NumberHistory } from './monthly-history.js';

export type Measure = 'all' | 'free' | 'paid';
const SEASON = 12;

export interface ForecastRequest {
  readonly kind: 'usage' | 'charges';
  readonly measure: Measure;
  readonly horizon: number;
  readonly levels: readonly number[];
  /** First forecast month = the current (excluded, incomplete) local month, 'YYYY-MM'. */
  readonly currentMonth: string;
  readonly currency: string;
  readonly scope: { readonly waba_id: string; readonly phone_number_id: string | null };
  /** Charges: rate per paid unit per forecast month and number (loadRateOutlook); else the basis rate. */
  readonly rateOutlook?: ReadonlyMap<string, readonly number[]>;
  /** Charges: rate per unit of the allowance's categories per forecast month and number (loadAllowanceRates). */
  readonly allowanceRates?: ReadonlyMap<string, readonly number[]>;
  /** The WABA's first day of per-message pricing, 'YYYY-MM-DD'. */
  readonly pmpFrom?: string;
}

type Point = Record<string, string | number>;

function fit(values: readonly number[], req: ForecastRequest): ForecastResult {
  if (values.length === 0) {
    const zeros = new Array<number>(req.horizon).fill(0);
    return {
      method: 'none',
      mean: zeros,
      intervals: req.levels.map((level) => ({ level, lower: zeros, upper: zeros })),
    };
  }
  return forecastSeries(values, { horizon: req.horizon, seasonLength: SEASON, levels: req.levels });
}

function backtest(values: readonly number[], req: ForecastRequest) {
  if (values.length < 4) return { mase: null, smape: null };
  const b = backtestSeries(values, { horizon: req.horizon, seasonLength: SEASON });
  const r = (x: number) => (Number.isFinite(x) ? Math.round(x * 10000) / 10000 : null);
  return { mase: r(b.mase), smape: r(b.smape) };
}

function latestUnit(histories: readonly NumberHistory[]): string | null {
  const months = histories.flatMap((h) => h.months).filter((m) => m.unit !== null);
  return months.length === 0 ? null : months.reduce((a, b) => (b.period > a.period ? b : a)).unit;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const money = (x: number) => fromMicros(BigInt(Math.round(Math.max(0, x) * 1e6)));

/** Builds the forecast answer for one number (one history) or a WABA (several), per the HTTP contract. */
export function buildForecast(
  input: readonly NumberHistory[],
  req: ForecastRequest,
): Record<string, unknown> {
  const histories = input;
  const measure: Measure = req.kind === 'charges' ? 'paid' : req.measure;
  const charges = req.kind === 'charges';
  // Charges: the allowance's categories are priced by rule (allowance-forecast.ts), the rest by its paid units.
  const valueOf = (m: MonthPoint) => (charges ? paidOutsideAllowance(m) : m[measure]);
  const across = (ms: readonly MonthPoint[]) => seriesAcrossSwitch(ms, valueOf, SEASON);
  const fitAcross = (a: SeriesAcrossSwitch) => widenForRatio(fit(a.values, req), a.logSe, a.convertedShare);
  const periods = Array.from({ length: req.horizon }, (_, h) => addMonths(req.currentMonth, h));
  const total = totalOf(histories);
  const totalRate = effectiveRate(total, charges);

  const numbers = histories.map((h) => {
    const series = across(h.months);
    const f = fitAcross(series);
    const rate = effectiveRate(h.months, charges) ?? totalRate;
    const outlook = req.rateOutlook?.get(h.phone_number_id);
    const rates = periods.map((_, i) => {
      const r = outlook?.[i];
      return r !== undefined && Number.isFinite(r) ? r : (rate?.rate ?? 0);
    });
    const rule = charges
      ? forecastAllowanceCharges(
          h.months,
          periods,
          req.allowanceRates?.get(h.phone_number_id),
          req.pmpFrom ?? '0001-01-01',
          fitAcross,
          req.levels,
        )
      : null;
    // Charges means are rounded to micro-units per number first so the WABA sum is exact.
    const means = f.mean.map((m, i) =>
      rule ? toMicros(money(m * rates[i]!)) + toMicros(money(rule.mean[i]!)) : round2(m),
    );
    return { id: h.phone_number_id, f, rate, rates, means, series, rule };
  });
  const single = req.scope.phone_number_id !== null && numbers.length === 1;
  const totalSeries = single ? numbers[0]!.series : across(total);
  const direct = single ? numbers[0]!.f : fitAcross(totalSeries);
  const rateFor = single ? numbers[0]!.rate : totalRate;
  // Rate per paid unit of the scope in forecast month h: the number's own, or for a WABA the paid-weighted
  // average of its numbers' (= Σ charges means / Σ paid means).
  const scopeRate = (h: number): number => {
    if (single) return numbers[0]!.rates[h]!;
    const paid = numbers.reduce((s, n) => s + Math.max(0, n.f.mean[h]!), 0);
    if (paid <= 0) return rateFor?.rate ?? 0;
    return numbers.reduce((s, n) => s + Math.max(0, n.f.mean[h]!) * n.rates[h]!, 0) / paid;
  };

  const forecast: Point[] = periods.map((period, h) => {
    const p: Point = { period };
    // Widths (in the forecast measure) of the direct forecast; for charges scaled by the scope's rate.
    const scale = req.kind === 'charges' ? scopeRate(h) : 1;
    let centre: number;
    if (req.kind === 'charges') {
      const micro = numbers.reduce((s, n) => s + (n.means[h] as bigint), 0n);
      p.mean = fromMicros(micro);
      centre = Number(p.mean);
    } else {
      centre = round2(numbers.reduce((s, n) => s + (n.means[h] as number), 0));
      p.mean = centre;
    }
    const fmt = (x: number) => (req.kind === 'charges' ? money(x) : round2(Math.max(0, x)));
    // The allowance's charges add their own widths (per number, as its allowance is per number).
    const ruleWidth = (side: 'below' | 'above', level: number) =>
      numbers.reduce((s, n) => s + (n.rule?.[side].get(level)?.[h] ?? 0), 0);
    for (const iv of direct.intervals) {
      p[`lower_${iv.level}`] = fmt(
        centre - (direct.mean[h]! - iv.lower[h]!) * scale - ruleWidth('below', iv.level),
      );
      p[`upper_${iv.level}`] = fmt(
        centre + (iv.upper[h]! - direct.mean[h]!) * scale + ruleWidth('above', iv.level),
      );
    }
    if (charges)
      p.allowance_charges = fromMicros(
        numbers.reduce((s, n) => s + toMicros(money(n.rule?.mean[h] ?? 0)), 0n),
      );
    return p;
  });

  const scopeMonths = single ? histories[0]!.months : total;
  const basis = totalSeries.basis;
  const history = scopeMonths.slice(totalSeries.offset).map((m, i) => {
    if (req.kind === 'charges') return { period: m.period, value: fromMicros(toMicros(m.amount)) };
    const converted = basis.converted_from !== null && i < basis.months_converted;
    return converted
      ? {
          period: m.period,
          value: m[measure],
          unit: 'conversation',
          message_equivalent: round2(totalSeries.values[i]!),
        }
      : { period: m.period, value: m[measure] };
  });
  const leftOut = basis.months_left_out > 0 ? scopeMonths[basis.months_left_out]!.period : null;
  const out: Record<string, unknown> = {
    scope: { ...req.scope, phone_number_ids: histories.map((h) => h.phone_number_id) },
    kind: req.kind,
    method: direct.method,
    horizon: req.horizon,
    levels: req.levels,
    ...(req.kind === 'usage' ? { unit: latestUnit(histories), measure } : { currency: req.currency }),
    estimate: true,
    history,
    forecast,
    backtest: backtest(totalSeries.values, req),
    history_basis: basis,
    history_note: `Local months in the WABA time zone; the current, incomplete month ${req.currentMonth} is excluded${
      basis.converted_from
        ? `; months before ${basis.switch_month} counted conversations and are converted into message-equivalents at ${basis.ratio} messages per conversation (learned at the switch; its uncertainty widens the intervals)`
        : leftOut
          ? `, and months before ${leftOut} (a different unit, too little data around the switch to convert it) are left out`
          : ''
    }.`,
    reconciliation: {
      approach: 'bottom_up',
      mean: 'WABA point forecast = sum of the per-number point forecasts',
      intervals: single
        ? "this number's own forecast intervals"
        : 'widths of a direct forecast of the WABA total, re-centred on the bottom-up mean, lower bound clipped at 0',
      numbers: numbers.map((n) => ({
        phone_number_id: n.id,
        method: n.f.method,
        history_basis: n.series.basis,
        mean: n.means.map((m) => (typeof m === 'bigint' ? fromMicros(m) : m)),
      })),
    },
  };
  if (charges) out.rule_change = describeAllowanceRule(periods, req.pmpFrom ?? '0001-01-01');
  if (charges)
    out.rate = rateFor
      ? {
          basis_month: rateFor.month,
          per_paid_unit: money(rateFor.rate),
          currency: req.currency,
          by_period: periods.map((period, h) => ({ period, per_paid_unit: money(scopeRate(h)) })),
        }
      : null;
  return out;
}
