/**
 * Daily spend forecast for the runway, weekly and yearly seasonality together (a two-season decomposition in the
 * spirit of MSTL): with at least a year of history the yearly cycle is taken out as monthly factors (each
 * calendar month's mean daily spend over the mean of the twelve), the weekday cycle is modelled by the forecast
 * engine (season 7) on what is left, and the forecast is multiplied back by the factor of each future day's
 * month. The 80 % band (P10 / P90) is then calibrated on the last four weeks (calibrationScale).
 */
import { forecastSeries } from '../forecast/forecast-series.js';
import { addDays, monthNumberOfDay } from '../kernel/calendar.js';
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
  /**
   * Factor applied to the model's 80 % band so that it held 80 % of the last four weeks when fitted without
   * them (null with less than twelve weeks of history): P10 and P90 are calibrated, not only nominal.
   */
  readonly calibration: number | null;
}

const CALIBRATION_DAYS = 28;

function quantile(sorted: readonly number[], p: number): number {
  const x = p * (sorted.length - 1);
  const i = Math.floor(x);
  return i + 1 < sorted.length ? sorted[i]! + (x - i) * (sorted[i + 1]! - sorted[i]!) : sorted[i]!;
}

/**
 * Split-conformal scale of the band: refit without the last four weeks, and take the 80th percentile of each
 * day's miss over the band's half-width on its side. Clamped to [0.5, 3] so one odd month cannot collapse or
 * explode the band.
 */
function calibrationScale(history: readonly DailySpend[]): number | null {
  if (history.length < CALIBRATION_DAYS + 56) return null;
  const train = history.slice(0, -CALIBRATION_DAYS);
  const test = history.slice(-CALIBRATION_DAYS);
  const bt = forecastUncalibrated(train, test[0]!.day, CALIBRATION_DAYS);
  const ratios = test
    .map((t, i) => {
      const miss = t.amount - bt.mean[i]!;
      const half = miss >= 0 ? bt.upper80[i]! - bt.mean[i]! : bt.mean[i]! - bt.lower80[i]!;
      return half > 0 ? Math.abs(miss) / half : miss === 0 ? 0 : 3;
    })
    .sort((a, b) => a - b);
  return Math.min(3, Math.max(0.5, quantile(ratios, 0.8)));
}

/** Forecasts `horizon` days of spend starting at `firstDay`, with a calibrated 80 % band (P10 / P90). */
export function forecastDailySpend(
  history: readonly DailySpend[],
  firstDay: string,
  horizon: number,
): SpendForecast {
  const fc = forecastUncalibrated(history, firstDay, horizon);
  const scale = calibrationScale(history);
  if (scale === null) return { ...fc, calibration: null };
  return {
    ...fc,
    lower80: fc.mean.map((m, i) => Math.max(0, m - scale * (m - fc.lower80[i]!))),
    upper80: fc.mean.map((m, i) => m + scale * (fc.upper80[i]! - m)),
    calibration: Math.round(scale * 1000) / 1000,
  };
}

const MODEL_DAYS = 365;

/** Monthly factors from ≥ 365 days of history, or null. Factors are clamped to [0.1, 10]. */
export function monthlyFactors(history: readonly DailySpend[]): number[] | null {
  if (history.length < 365) return null;
  const sum = new Array<number>(12).fill(0);
  const count = new Array<number>(12).fill(0);
  for (const h of history) {
    const m = monthNumberOfDay(h.day) - 1;
    sum[m] = (sum[m] ?? 0) + h.amount;
    count[m] = (count[m] ?? 0) + 1;
  }
  const means = sum.map((s, i) => s / Math.max(1, count[i] ?? 0));
  const overall = means.reduce((a, b) => a + b, 0) / 12;
  if (!(overall > 0)) return null;
  return means.map((m) => Math.min(10, Math.max(0.1, m / overall)));
}

/** The forecast before its band is calibrated. */
function forecastUncalibrated(
  history: readonly DailySpend[],
  firstDay: string,
  horizon: number,
): Omit<SpendForecast, 'calibration'> {
  const days = Array.from({ length: horizon }, (_, i) => addDays(firstDay, i));
  const factors = monthlyFactors(history);
  const f = (day: string) => (factors ? (factors[monthNumberOfDay(day) - 1] ?? 1) : 1);
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
