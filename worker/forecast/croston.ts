/**
 * Croston's method with the Syntetos–Boylan bias correction (SBA) for intermittent counts: SES (α = 0.1) on the
 * non-zero sizes and on the intervals between them; the flat forecast is (1 − α/2)·size/interval.
 *
 * @example
 * forecastCroston([0, 2, 0, 0, 2], 2); // sizes 2, 2; intervals 2, 3 → (1 − 0.05)·2/2.1 ≈ 0.905 each
 */
export function forecastCroston(values: readonly number[], horizon: number, alpha = 0.1): number[] {
  let z = NaN;
  let p = NaN;
  let gap = 0;
  for (const v of values) {
    gap++;
    if (v !== 0) {
      if (Number.isNaN(z)) {
        z = v;
        p = gap;
      } else {
        z += alpha * (v - z);
        p += alpha * (gap - p);
      }
      gap = 0;
    }
  }
  const f = Number.isNaN(z) ? 0 : ((1 - alpha / 2) * z) / p;
  return new Array<number>(horizon).fill(f);
}
