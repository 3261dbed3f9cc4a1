/**
 * Is there a season of length m? The classical 90 % autocorrelation test needs about three seasons and, with two,
 * cannot pass even for strongly seasonal series (lag-m ACF ≈ 0.5 against a threshold ≈ 0.8). So a second test
 * runs on the last (at most four) seasons: an F-test of month-of-year effects over a linear trend (log scale for
 * positive series, raw when there are zeros), valid from two seasons on. Either passing makes the series seasonal.
 * Series with zeros get additive seasonal adjustment instead of losing seasonality.
 *
 * @example
 * detectSeason(twoYearsOfStrongSeason, 12); // => { seasonal: true, multiplicative: true }
 */
import { fQuantile } from './f-quantile.js';
import { testSeasonality } from './seasonality-test.js';

export interface SeasonDecision {
  readonly seasonal: boolean;
  /** Multiplicative (all values positive) or additive adjustment. */
  readonly multiplicative: boolean;
}

/** Significance of the month-of-year F-test. */
const LEVEL = 0.95;

function sse(y: readonly number[], cols: readonly ((t: number) => number)[]): number {
  // Least squares by modified Gram–Schmidt over a handful of columns.
  const n = y.length;
  const q: Float64Array[] = [];
  const r = Float64Array.from(y);
  for (const col of cols) {
    const v = new Float64Array(n);
    for (let t = 0; t < n; t++) v[t] = col(t);
    for (const u of q) {
      let d = 0;
      for (let t = 0; t < n; t++) d += u[t]! * v[t]!;
      for (let t = 0; t < n; t++) v[t]! -= d * u[t]!;
    }
    let norm = 0;
    for (let t = 0; t < n; t++) norm += v[t]! * v[t]!;
    if (norm < 1e-12) continue;
    norm = Math.sqrt(norm);
    for (let t = 0; t < n; t++) v[t]! /= norm;
    let d = 0;
    for (let t = 0; t < n; t++) d += v[t]! * r[t]!;
    for (let t = 0; t < n; t++) r[t]! -= d * v[t]!;
    q.push(v);
  }
  let s = 0;
  for (let t = 0; t < n; t++) s += r[t]! * r[t]!;
  return s;
}

/** F-test of seasonal dummies over intercept + linear trend on the last ≤ 4 seasons. */
export function testSeasonalDummies(values: readonly number[], m: number, multiplicative: boolean): boolean {
  const n0 = values.length;
  const len = Math.min(n0, 4 * m);
  if (m <= 1 || len < 2 * m) return false;
  const off = n0 - len;
  const y = values.slice(off).map((v) => (multiplicative ? Math.log(v) : v));
  const base = [() => 1, (t: number) => t / len];
  const dummies = Array.from({ length: m - 1 }, (_, j) => (t: number) => ((off + t) % m === j + 1 ? 1 : 0));
  const s0 = sse(y, base);
  const s1 = sse(y, [...base, ...dummies]);
  const df2 = len - 2 - (m - 1);
  if (df2 < 3 || !(s0 > 0)) return false;
  if (!(s1 > 1e-12 * s0)) return true;
  const f = (s0 - s1) / (m - 1) / (s1 / df2);
  return f > fQuantile(LEVEL, m - 1, df2);
}

export function detectSeason(values: readonly number[], m: number): SeasonDecision {
  const multiplicative = values.every((v) => v > 0);
  if (m <= 1 || values.length < 2 * m) return { seasonal: false, multiplicative };
  const seasonal = testSeasonality(values, m) || testSeasonalDummies(values, m, multiplicative);
  return { seasonal, multiplicative };
}
