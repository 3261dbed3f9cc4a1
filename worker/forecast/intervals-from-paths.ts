/**
 * Prediction intervals from sorted simulated values per horizon, re-centred on a (possibly different) point
 * forecast: the simulated spread around the model's own forecast is carried over multiplicatively when both are
 * positive (multiplicative models widen with the level) and additively otherwise.
 *
 * @example
 * // paths at h = 1 spread 90..110 around a model mean of 100, re-centred on 200 → 180..220 (multiplicative)
 */
import type { ForecastInterval } from './types.js';

function quantileSorted(a: Float64Array, p: number): number {
  const x = p * (a.length - 1);
  const i = Math.floor(x);
  const f = x - i;
  const lo = a[i]!;
  return i + 1 < a.length ? lo + f * (a[i + 1]! - lo) : lo;
}

export function computeIntervalsFromPaths(
  paths: readonly Float64Array[],
  levels: readonly number[],
  modelMean: readonly number[],
  center: readonly number[],
): ForecastInterval[] {
  return levels.map((level) => {
    const a = (1 - level / 100) / 2;
    const lower: number[] = [];
    const upper: number[] = [];
    paths.forEach((sorted, i) => {
      const lo = quantileSorted(sorted, a);
      const hi = quantileSorted(sorted, 1 - a);
      const mu = modelMean[i]!;
      const c = center[i]!;
      if (mu > 0 && c > 0 && lo > 0) {
        lower.push((c * lo) / mu);
        upper.push((c * hi) / mu);
      } else {
        lower.push(c + lo - mu);
        upper.push(c + hi - mu);
      }
    });
    return { level, lower, upper };
  });
}
