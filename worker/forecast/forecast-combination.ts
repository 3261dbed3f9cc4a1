/**
 * The default ('auto') forecaster for regular series: the mean of automatic ETS (AICc over the family, fitted on
 * the raw series), the Theta method and a damped trend, the last two on the multiplicatively seasonally adjusted
 * series; histories of at most three seasons also average in SES. Combinations of these simple methods beat each
 * of them on the M3 data (Makridakis & Hibon 2000). Intervals come from sample paths of the selected ETS model,
 * re-centred on the combined forecast.
 */
import { fitEts } from './ets/fit-ets.js';
import { forecastEts } from './ets/forecast-ets.js';
import { formatEtsName } from './ets/ets-spec.js';
import { selectEts } from './ets/select-ets.js';
import { simulateEtsPaths } from './ets/simulate-ets-paths.js';
import { computeIntervalsFromPaths } from './intervals-from-paths.js';
import { adjustSeasonality, reseasonalize } from './seasonal-adjustment.js';
import { forecastTheta } from './theta.js';
import type { ForecastResult } from './types.js';

const PATHS = 1000;

function hashSeries(values: readonly number[]): number {
  // A deterministic seed from the data, so the same request answers the same intervals.
  let h = 2166136261;
  for (const v of values) h = Math.imul(h ^ Math.round(v * 1000), 16777619);
  return h >>> 0;
}

/** Forecasts a series of at least 4 points with the ETS + Theta + damped (+ SES) combination. */
export function forecastCombination(
  values: readonly number[],
  seasonLength: number,
  horizon: number,
  levels: readonly number[],
): ForecastResult {
  const n = values.length;
  const m = seasonLength;
  const short = n <= 3 * m;
  const ets = selectEts(values, m);
  const adj = adjustSeasonality(values, m, 2);
  const parts: number[][] = [forecastTheta(values, m, horizon, { minSeasons: 2 })];
  const names = ['Theta'];
  if (ets) {
    parts.push(forecastEts(ets, horizon));
    names.push(formatEtsName(ets.spec));
  }
  const damped = fitEts(adj.adjusted, { error: 'A', trend: 'Ad', season: 'N', m: 1 });
  if (damped) {
    parts.push(reseasonalize(forecastEts(damped, horizon), adj, n));
    names.push('Damped');
  }
  if (short) {
    const ses = fitEts(adj.adjusted, { error: 'A', trend: 'N', season: 'N', m: 1 });
    if (ses) {
      parts.push(reseasonalize(forecastEts(ses, horizon), adj, n));
      names.push('SES');
    }
  }
  const mean = Array.from({ length: horizon }, (_, h) => parts.reduce((s, p) => s + p[h]!, 0) / parts.length);
  const intervals =
    ets && levels.length > 0
      ? computeIntervalsFromPaths(
          simulateEtsPaths(ets, horizon, PATHS, hashSeries(values)),
          levels,
          forecastEts(ets, horizon),
          mean,
        )
      : levels.map((level) => ({ level, lower: mean.slice(), upper: mean.slice() }));
  return { method: `combo(${names.join('+')})`, mean, intervals };
}
