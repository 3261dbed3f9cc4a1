/**
 * Rolling-origin backtest: refits the forecaster on shrinking histories and scores the next `horizon` values
 * with MASE and sMAPE, averaged over the folds.
 */
import { computeMase } from './mase.js';
import { computeSmape } from './smape.js';
import { forecastSeries } from './forecast-series.js';
import type { BacktestOptions, BacktestResult } from './types.js';

/**
 * Backtests forecastSeries on the last `folds` origins of the series (each holding out up to `horizon`).
 *
 * @example
 * backtestSeries([1, 2, 3, 4, 5, 6], { horizon: 2, seasonLength: 1, method: 'naive', folds: 1 });
 * // => { mase: 1.5, smape: 31.11, horizon: 2, method: 'naive' }
 */
export function backtestSeries(values: readonly number[], opts: BacktestOptions): BacktestResult {
  const folds = Math.max(1, opts.folds ?? 3);
  const n = values.length;
  // Hold out at most a third of the history so every fold still has something to fit.
  const h = Math.max(1, Math.min(opts.horizon, Math.floor(n / 3)));
  let mase = 0;
  let smape = 0;
  let used = 0;
  let method = 'none';
  for (let f = 0; f < folds; f++) {
    const origin = n - h - f;
    if (origin < 2) break;
    const train = values.slice(0, origin);
    const test = values.slice(origin, origin + h);
    const r = forecastSeries(train, { ...opts, horizon: h, levels: [] });
    const mFold = computeMase(train, test, r.mean, opts.seasonLength);
    if (!Number.isFinite(mFold)) continue;
    mase += mFold;
    smape += computeSmape(test, r.mean);
    // Report the method used at the latest origin, the one closest to the real forecast.
    if (used === 0) method = r.method;
    used++;
  }
  if (used === 0) return { mase: NaN, smape: NaN, horizon: h, method };
  return { mase: mase / used, smape: smape / used, horizon: h, method };
}
