/**
 * Prediction intervals mean ± q·σ_h for each requested level: q the standard normal quantile, or Student's t with
 * `df` degrees of freedom when σ was estimated from few residuals.
 *
 * @example
 * computeNormalIntervals([10], [2], [95]); // => [{ level: 95, lower: [6.08…], upper: [13.92…] }]
 */
import { studentQuantile } from './student-quantile.js';
import type { ForecastInterval } from './types.js';

export function computeNormalIntervals(
  mean: readonly number[],
  sigma: readonly number[],
  levels: readonly number[],
  df = Infinity,
): ForecastInterval[] {
  return levels.map((level) => {
    const z = studentQuantile(0.5 + level / 200, df);
    return {
      level,
      lower: mean.map((f, i) => f - z * sigma[i]!),
      upper: mean.map((f, i) => f + z * sigma[i]!),
    };
  });
}
