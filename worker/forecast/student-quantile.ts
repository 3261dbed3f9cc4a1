/**
 * Quantile of Student's t distribution with df degrees of freedom, from the normal quantile by the Cornish–Fisher
 * expansion (Abramowitz & Stegun 26.7.5; error below 1e-3 for df ≥ 5, exact as df → ∞).
 *
 * @example
 * studentQuantile(0.975, 10); // ≈ 2.228 (tables: 2.2281)
 */
import { normalQuantile } from './normal-quantile.js';

export function studentQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  if (!Number.isFinite(df) || df > 1e6) return z;
  const z2 = z * z;
  const g1 = (z2 * z + z) / 4;
  const g2 = (5 * z2 * z2 * z + 16 * z2 * z + 3 * z) / 96;
  const g3 = (3 * z2 * z2 * z2 * z + 19 * z2 * z2 * z + 17 * z2 * z - 15 * z) / 384;
  const g4 =
    (79 * z2 * z2 * z2 * z2 * z + 776 * z2 * z2 * z2 * z + 1482 * z2 * z2 * z - 1920 * z2 * z - 945 * z) /
    92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
