/**
 * Mean absolute scaled error: mean |y−ŷ| over the horizon divided by the in-sample mean absolute seasonal
 * difference at lag m (M4 definition). When the history is shorter than m + 1 the lag falls back to 1; a zero
 * scale (constant history) gives 0 for a perfect forecast and Infinity otherwise.
 *
 * @example
 * computeMase([1, 2, 3, 4], [5, 7], [6, 6], 1); // => mean(|5−6|, |7−6|) / 1 = 1
 */
export function computeMase(
  insample: readonly number[],
  actual: readonly number[],
  predicted: readonly number[],
  seasonLength: number,
): number {
  const n = insample.length;
  const m = seasonLength < n ? seasonLength : 1;
  let scale = 0;
  for (let i = m; i < n; i++) scale += Math.abs(insample[i]! - insample[i - m]!);
  scale /= Math.max(1, n - m);
  const k = Math.min(actual.length, predicted.length);
  let err = 0;
  for (let i = 0; i < k; i++) err += Math.abs(actual[i]! - predicted[i]!);
  err /= Math.max(1, k);
  if (scale === 0) return err === 0 ? 0 : Infinity;
  return err / scale;
}
