/**
 * Forecasts and backtests a batch of named series with the same options: the work behind POST /v1/forecasts.
 */
import { backtestSeries } from './backtest-series.js';
import { forecastSeries } from './forecast-series.js';
import type { NamedSeries } from './group-series-rows.js';
import type { BacktestResult, ForecastOptions, ForecastResult } from './types.js';

export interface BatchForecast {
  seriesId: string;
  forecast: ForecastResult;
  backtest: BacktestResult;
}

/** Runs forecastSeries and backtestSeries (with `folds` rolling origins) on every series. */
export function forecastBatch(
  series: readonly NamedSeries[],
  opts: ForecastOptions,
  folds: number,
): BatchForecast[] {
  return series.map((s) => ({
    seriesId: s.id,
    forecast: forecastSeries(s.values, opts),
    backtest: backtestSeries(s.values, { ...opts, folds }),
  }));
}
