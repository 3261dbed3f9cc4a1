/**
 * The simple benchmark methods with textbook Gaussian intervals: naive and seasonal naive (random-walk variance
 * growing with the number of steps or seasons ahead), Naive2, the mean (σ·√(1 + 1/n)), Croston/SBA for
 * intermittent counts (intervals from the empirical distribution of the history) and Theta (SES-like variance).
 */
import { forecastCroston } from './croston.js';
import { forecastNaive2 } from './naive2.js';
import { computeNormalIntervals } from './normal-intervals.js';
import { forecastSeasonalNaive } from './seasonal-naive.js';
import { forecastTheta } from './theta.js';
import type { ForecastResult } from './types.js';

export type SimpleMethod = 'naive' | 'snaive' | 'naive2' | 'mean' | 'croston' | 'theta';

function rmsDiff(values: readonly number[], lag: number): number {
  let s = 0;
  let k = 0;
  for (let i = lag; i < values.length; i++) {
    s += (values[i]! - values[i - lag]!) ** 2;
    k++;
  }
  return k > 0 ? Math.sqrt(s / k) : 0;
}

function quantile(sorted: readonly number[], p: number): number {
  const x = p * (sorted.length - 1);
  const i = Math.floor(x);
  const lo = sorted[i]!;
  return i + 1 < sorted.length ? lo + (x - i) * (sorted[i + 1]! - lo) : lo;
}

/** Forecasts with one of the simple methods. */
export function forecastSimple(
  method: SimpleMethod,
  values: readonly number[],
  seasonLength: number,
  horizon: number,
  levels: readonly number[],
): ForecastResult {
  const n = values.length;
  const hs = Array.from({ length: horizon }, (_, i) => i + 1);
  if (method === 'croston') {
    const mean = forecastCroston(values, horizon);
    const sorted = values.slice().sort((a, b) => a - b);
    const intervals = levels.map((level) => {
      const a = (1 - level / 100) / 2;
      return {
        level,
        lower: mean.map(() => quantile(sorted, a)),
        upper: mean.map(() => quantile(sorted, 1 - a)),
      };
    });
    return { method: 'croston-sba', mean, intervals };
  }
  if (method === 'mean') {
    const mu = values.reduce((a, b) => a + b, 0) / n;
    const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mu) ** 2, 0) / (n - 1)) : 0;
    const mean = hs.map(() => mu);
    return {
      method,
      mean,
      intervals: computeNormalIntervals(
        mean,
        hs.map(() => sd * Math.sqrt(1 + 1 / n)),
        levels,
      ),
    };
  }
  if (method === 'snaive' && n > seasonLength && seasonLength > 1) {
    const mean = forecastSeasonalNaive(values, seasonLength, horizon);
    const sd = rmsDiff(values, seasonLength);
    const sigma = hs.map((h) => sd * Math.sqrt(Math.floor((h - 1) / seasonLength) + 1));
    return { method, mean, intervals: computeNormalIntervals(mean, sigma, levels) };
  }
  const sd = rmsDiff(values, 1);
  if (method === 'naive2' || method === 'theta') {
    const mean =
      method === 'naive2'
        ? forecastNaive2(values, seasonLength, horizon)
        : forecastTheta(values, seasonLength, horizon);
    return {
      method,
      mean,
      intervals: computeNormalIntervals(
        mean,
        hs.map((h) => sd * Math.sqrt(h)),
        levels,
      ),
    };
  }
  const mean = hs.map(() => values[n - 1] ?? 0);
  return {
    method: 'naive',
    mean,
    intervals: computeNormalIntervals(
      mean,
      hs.map((h) => sd * Math.sqrt(h)),
      levels,
    ),
  };
}
