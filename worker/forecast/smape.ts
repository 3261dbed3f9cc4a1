/**
 * Symmetric mean absolute percentage error, M4 definition: mean of 200·|y−ŷ|/(|y|+|ŷ|), in percent.
 * A term with y = ŷ = 0 counts as 0 (perfect), so all-zero series do not give NaN.
 *
 * @example
 * computeSmape([100, 200], [110, 180]); // => (200·10/210 + 200·20/380) / 2 ≈ 10.025
 */
export function computeSmape(actual: readonly number[], predicted: readonly number[]): number {
  const n = Math.min(actual.length, predicted.length);
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i]!;
    const f = predicted[i]!;
    const d = Math.abs(y) + Math.abs(f);
    s += d === 0 ? 0 : (200 * Math.abs(y - f)) / d;
  }
  return s / n;
}
