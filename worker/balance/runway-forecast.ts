/**
 * Daily spend forecast for the runway: weekday seasonality through the forecast engine (season 7) and, with at
 * least a year of history, yearly seasonality as monthly factors (each calendar month's mean daily spend over
 * the mean of the twelve): the history is divided by its month's factor, forecast, and multiplied back.
 */
import { forecastSeries } from '../forecast/forecast-series.js';
import { addDays, monthOf } from './runway-days.js';
import type { DailySpend } from './runway-history.js';

export interface SpendForecast {
  readonly method: string;
  readonly yearly: boolean;
  readonly days: string[];
  readonly mean: number[];
  readonly lower80: number[];
  readonly upper80: number[];
  /** Monthly factors (index 0 = January) when yearly seasonality is used. */
  readonly monthFactors: number[] | null;
}

const MODEL_DAYS = 365;

/** Monthly factors from ≥ 365 days of history, or null. Factors are clamped to [0.1, 10]. */
export function monthlyFactors(history: readonly DailySpend[]): number[] | null {
  if (history.length < 365) return null;
  const sum = new Array<number>(12).fill(0);
  const count = new Array<number>(12).fill(0);
  for (const h of history) {
    const m = monthOf(h.day) - 1;
    sum[m] = (sum[m] ?? 0) + h.amount;
    count[m] = (count[m] ?? 0) + 1;
  }
  const means = sum.map((s, i) => s / Math.max(1, count[i] ?? 0));
  const overall = means.reduce((a, b) => a + b, 0) / 12;
  if (!(overall > 0)) return null;
  return means.map((m) => Math.min(10, Math.max(0.1, m / overall)));
}

/** Forecasts `horizon` days of spend starting at `firstDay` (today). */
export function forecastDailySpend(
  history: readonly DailySpend[],
  firstDay: string,
  horizon: number,
): SpendForecast {
  const days = Array.from({ length: horizon }, (_, i) => addDays(firstDay, i));
  const factors = monthlyFactors(history);
  const f = (day: string) => (factors ? (factors[monthOf(day) - 1] ?? 1) : 1);
  const recent = history.slice(-MODEL_DAYS);
  const r = forecastSeries(
    recent.map((h) => h.amount / f(h.day)),
    { horizon, seasonLength: 7, levels: [80] },
  );
  const band = r.intervals.find((i) => i.level === 80);
  const at = (a: readonly number[] | undefined, i: number, fallback: number) => a?.[i] ?? fallback;
  const mean = days.map((d, i) => at(r.mean, i, 0) * f(d));
  return {
    method: r.method,
    yearly: factors !== null,
    days,
    mean,
    lower80: days.map((d, i) => at(band?.lower, i, at(r.mean, i, 0)) * f(d)),
    upper80: days.map((d, i) => at(band?.upper, i, at(r.mean, i, 0)) * f(d)),
    monthFactors: factors,
  };
}
