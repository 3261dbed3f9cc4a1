/**
 * Seasonal indices of a classical decomposition (R's `decompose`): a centred 2×m moving average as the trend,
 * the ratio (multiplicative) or difference (additive) to it averaged per position in the cycle, then normalised to
 * mean 1 (or 0). Index j belongs to observations t with t mod m = j (t counted from 0).
 *
 * @example
 * computeSeasonalIndices([1, 3, 1, 3, 1, 3], 2, 'additive'); // => [-1, 1]
 */
export function computeSeasonalIndices(
  values: readonly number[],
  seasonLength: number,
  type: 'multiplicative' | 'additive' = 'multiplicative',
): number[] {
  const n = values.length;
  const m = seasonLength;
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  const half = Math.floor(m / 2);
  for (let t = half; t < n - half; t++) {
    let trend: number;
    if (m % 2 === 0) {
      // 2×m moving average: half weights on the two ends.
      let s = 0.5 * (values[t - half]! + values[t + half]!);
      for (let k = t - half + 1; k < t + half; k++) s += values[k]!;
      trend = s / m;
    } else {
      let s = 0;
      for (let k = t - half; k <= t + half; k++) s += values[k]!;
      trend = s / m;
    }
    const v = type === 'multiplicative' ? values[t]! / trend : values[t]! - trend;
    if (!Number.isFinite(v)) continue;
    sums[t % m]! += v;
    counts[t % m]!++;
  }
  const base = type === 'multiplicative' ? 1 : 0;
  const fig = sums.map((s, j) => (counts[j]! > 0 ? s / counts[j]! : base));
  const avg = fig.reduce((a, b) => a + b, 0) / m;
  return type === 'multiplicative' ? fig.map((f) => (avg > 0 ? f / avg : 1)) : fig.map((f) => f - avg);
}
