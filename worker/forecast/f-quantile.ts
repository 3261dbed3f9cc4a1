/**
 * Upper quantile of Fisher's F distribution by Paulson's cube-root normal approximation (accurate to a few
 * percent for the small degrees of freedom of a seasonal-dummy test, which is all a significance threshold needs).
 *
 * @example
 * fQuantile(0.9, 11, 10); // ≈ 2.3 (tables: 2.30)
 */
import { normalQuantile } from './normal-quantile.js';

export function fQuantile(p: number, d1: number, d2: number): number {
  const z = normalQuantile(p);
  const a = 2 / (9 * d1);
  const b = 2 / (9 * d2);
  // ((1−b)·u − (1−a))² = z²·(a + b·u²) with u = F^(1/3); the larger root is the upper quantile.
  const qa = (1 - b) ** 2 - z * z * b;
  const qb = -2 * (1 - a) * (1 - b);
  const qc = (1 - a) ** 2 - z * z * a;
  const disc = qb * qb - 4 * qa * qc;
  if (qa <= 0 || disc < 0) return Infinity;
  const u = (-qb + Math.sqrt(disc)) / (2 * qa);
  return u > 0 ? u ** 3 : Infinity;
}
