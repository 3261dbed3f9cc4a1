/** Shared types of the forecast engine (the contract consumed by the forecast API, runway and CLI). */

/** One prediction interval at a nominal coverage level (percent, e.g. 80). */
export interface ForecastInterval {
  level: number;
  lower: number[];
  upper: number[];
}

/** The answer of forecastSeries: the chosen method, point forecasts and intervals for h = 1..horizon. */
export interface ForecastResult {
  method: string;
  mean: number[];
  intervals: ForecastInterval[];
}

/** Method names accepted by forecastSeries; 'auto' picks by series shape and combines models. */
export type ForecastMethod =
  'auto' | 'ets' | 'theta' | 'snaive' | 'naive' | 'naive2' | 'mean' | 'croston' | 'combo';

export interface ForecastOptions {
  horizon: number;
  seasonLength: number;
  /** Interval levels in percent; default [80, 95]. */
  levels?: readonly number[];
  method?: ForecastMethod;
}

export interface BacktestOptions extends ForecastOptions {
  /** Number of rolling origins; default 3. */
  folds?: number;
}

export interface BacktestResult {
  mase: number;
  smape: number;
  horizon: number;
  method: string;
}
