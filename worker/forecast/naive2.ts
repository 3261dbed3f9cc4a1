/**
 * Naive2, the M competitions' reference method: the last value of the seasonally adjusted series (classical
 * multiplicative decomposition, applied only when the 90 % seasonality test passes), reseasonalised.
 *
 * @example
 * forecastNaive2([10, 12, 14], 12, 2); // => [14, 14] (too short to test for seasonality)
 */
import { computeSeasonalIndices } from './seasonal-indices.js';
import { testSeasonality } from './seasonality-test.js';

export function forecastNaive2(values: readonly number[], seasonLength: number, horizon: number): number[] {
  const n = values.length;
  const m = seasonLength;
  const seasonal = testSeasonality(values, m);
  const si = seasonal ? computeSeasonalIndices(values, m) : null;
  const last = si ? values[n - 1]! / si[(n - 1) % m]! : (values[n - 1] ?? 0);
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++) out.push(si ? last * si[(n - 1 + h) % m]! : last);
  return out;
}
