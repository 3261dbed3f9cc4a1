/**
 * The forecast engine's entry point: picks a method for the series (or uses the one asked for) and answers point
 * forecasts and prediction intervals for h = 1..horizon. Pure and synchronous.
 *
 * 'auto' rules, in order: no data or all zeros → zeros; leading zeros of a non-negative series are dropped;
 * fewer than 6 points left → naive; non-negative counts with at least a third zeros → Croston/SBA; otherwise the
 * ETS + OTM + DOTM combination (seasonal models only with two full seasons) fitted on the last
 * max(240, 20·m) points. Forecasts and bounds are clamped at 0 when the history has no negative value.
 */
import { forecastEts } from './ets/forecast-ets.js';
import { formatEtsName } from './ets/ets-spec.js';
import { selectEts } from './ets/select-ets.js';
import { simulateEtsPaths } from './ets/simulate-ets-paths.js';
import { forecastAuto } from './forecast-auto.js';
import { forecastCombination } from './forecast-combination.js';
import { forecastSimple } from './forecast-simple.js';
import { computeIntervalsFromPaths } from './intervals-from-paths.js';
import type { ForecastOptions, ForecastResult } from './types.js';

export type { ForecastOptions, ForecastResult } from './types.js';

const MIN_MODEL_POINTS = 6;

/** The most recent points the models see: 20 seasons, at least 240. */
export function maxModelHistory(seasonLength: number): number {
  return Math.max(240, 20 * seasonLength);
}

function isIntermittent(values: readonly number[]): boolean {
  let zeros = 0;
  for (const v of values) {
    if (v < 0) return false;
    if (v === 0) zeros++;
  }
  return zeros >= values.length / 3;
}

function clampResult(r: ForecastResult): ForecastResult {
  const c = (a: number[]): number[] => a.map((v) => (v < 0 ? 0 : v));
  return {
    method: r.method,
    mean: c(r.mean),
    intervals: r.intervals.map((i) => ({ level: i.level, lower: c(i.lower), upper: c(i.upper) })),
  };
}

function constant(method: string, value: number, horizon: number, levels: readonly number[]): ForecastResult {
  const mean = new Array<number>(horizon).fill(value);
  return {
    method,
    mean,
    intervals: levels.map((level) => ({ level, lower: mean.slice(), upper: mean.slice() })),
  };
}

function forecastEtsOnly(
  values: readonly number[],
  m: number,
  horizon: number,
  levels: readonly number[],
): ForecastResult {
  const fit = selectEts(values, m);
  if (!fit) return forecastSimple('naive', values, m, horizon, levels);
  const mean = forecastEts(fit, horizon);
  const paths = levels.length > 0 ? simulateEtsPaths(fit, horizon, 1000, values.length) : [];
  return {
    method: formatEtsName(fit.spec),
    mean,
    intervals: computeIntervalsFromPaths(paths, levels, mean, mean),
  };
}

/**
 * Forecasts one series; see ForecastOptions for horizon, season length, levels and method.
 *
 * @example
 * forecastSeries([10, 12, 14], { horizon: 2, seasonLength: 12, levels: [80] });
 * // => { method: 'naive', mean: [14, 14], intervals: [{ level: 80, lower: [11.44, 10.38], upper: [16.56, 17.62] }] }
 */
export function forecastSeries(values: readonly number[], opts: ForecastOptions): ForecastResult {
  const levels = opts.levels ?? [80, 95];
  const horizon = opts.horizon;
  const m = Math.max(1, Math.floor(opts.seasonLength));
  const method = opts.method ?? 'auto';
  const n = values.length;
  if (n === 0) return constant('none', 0, horizon, levels);
  const nonNegative = values.every((v) => v >= 0);
  let r: ForecastResult;
  if (method === 'auto' || method === 'combo' || method === 'ets') {
    // Leading zeros of a non-negative series are time before the thing existed (a new number, a launch), not
    // intermittent demand; the models start at the first non-zero value.
    const first = nonNegative ? values.findIndex((v) => v !== 0) : 0;
    const live = first > 0 ? values.slice(first) : values;
    const k = live.length;
    if (first < 0) r = constant('zero', 0, horizon, levels);
    else if (k < MIN_MODEL_POINTS) r = forecastSimple('naive', live, m, horizon, levels);
    else if (method === 'auto' && isIntermittent(live))
      r = forecastSimple('croston', live, m, horizon, levels);
    else {
      // Long histories add cost, not accuracy: the models are fitted on the most recent stretch only.
      const recent = k > maxModelHistory(m) ? live.slice(k - maxModelHistory(m)) : live;
      r =
        method === 'ets'
          ? forecastEtsOnly(recent, m, horizon, levels)
          : method === 'combo'
            ? forecastCombination(recent, m, horizon, levels)
            : forecastAuto(recent, m, horizon, levels);
    }
  } else {
    r = forecastSimple(method, values, m, horizon, levels);
  }
  return nonNegative ? clampResult(r) : r;
}
