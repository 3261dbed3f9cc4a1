/**
 * The M3/M4 benchmarks' seasonality test: the autocorrelation at lag m is significant at 90 % (one-sided,
 * t = 1.645) against Bartlett's standard error. Needs at least 3 seasons of history, as in the M4 reference code.
 *
 * @example
 * testSeasonality([1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5], 2); // => true (r₂ = 0.875 > 0.683)
 * testSeasonality([1, 5, 1, 5, 1, 5, 1, 5], 2); // => false (r₂ = 0.75 < 0.925: too short to tell)
 */
export function testSeasonality(values: readonly number[], seasonLength: number, minSeasons = 3): boolean {
  const n = values.length;
  const m = seasonLength;
  if (m <= 1 || n < minSeasons * m) return false;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let denom = 0;
  for (const v of values) denom += (v - mean) ** 2;
  if (denom === 0) return false;
  let sumSq = 0;
  let acfM = 0;
  for (let k = 1; k <= m; k++) {
    let num = 0;
    for (let t = k; t < n; t++) num += (values[t]! - mean) * (values[t - k]! - mean);
    const r = num / denom;
    if (k < m) sumSq += r * r;
    else acfM = r;
  }
  const limit = (1.645 / Math.sqrt(n)) * Math.sqrt(1 + 2 * sumSq);
  return Math.abs(acfM) > limit;
}
