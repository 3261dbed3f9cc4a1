/**
 * Gaussian prediction intervals mean ± z·σ_h for each requested level, z the standard normal quantile.
 *
 * @example
 * computeNormalIntervals([10], [2], [95]); // => [{ level: 95, lower: [6.08…], upper: [13.92…] }]
 */
import { normalQuantile } from './normal-quantile.js';
import type { ForecastInterval } from './types.js';

export function computeNormalIntervals(
  mean: readonly number[],
  sigma: readonly number[],
  levels: readonly number[],
): ForecastInterval[] {
  return levels.map((level) => {
    const z = normalQuantile(0.5 + level / 200);
    return {
      level,
      lower: mean.map((f, i) => f - z * sigma[i]!),
      upper: mean.map((f, i) => f + z * sigma[i]!),
    };
  });
}
