/**
 * Classical seasonal adjustment as in the M3/M4 benchmarks: when the series is positive and passes the 90 %
 * seasonality test, divide by the classical-decomposition indices; otherwise leave it as it is. `adjustBySeason`
 * does the same for a decision already made (detect-season.ts), additively when the series has zeros.
 *
 * @example
 * adjustSeasonality([10, 20, 30], 12).indices; // => null (too short to test)
 */
import type { SeasonDecision } from './detect-season.js';
import { computeSeasonalIndices } from './seasonal-indices.js';
import { testSeasonality } from './seasonality-test.js';

export interface SeasonalAdjustment {
  adjusted: number[];
  /** Indices by position t mod m, or null when no adjustment was made. */
  indices: number[] | null;
  m: number;
  /** Indices are added (not multiplied) back. */
  additive?: boolean;
}

export function adjustSeasonality(
  values: readonly number[],
  seasonLength: number,
  minSeasons = 3,
): SeasonalAdjustment {
  const m = seasonLength;
  const positive = values.every((v) => v > 0);
  if (!positive || !testSeasonality(values, m, minSeasons))
    return { adjusted: values.slice(), indices: null, m };
  return adjustBySeason(values, m, { seasonal: true, multiplicative: true });
}

/** Adjusts by classical indices when the decision is seasonal: multiplicative or additive as decided. */
export function adjustBySeason(
  values: readonly number[],
  m: number,
  decision: SeasonDecision,
): SeasonalAdjustment {
  if (!decision.seasonal || m <= 1) return { adjusted: values.slice(), indices: null, m };
  if (decision.multiplicative) {
    const indices = computeSeasonalIndices(values, m);
    if (indices.some((s) => !(s > 0))) return { adjusted: values.slice(), indices: null, m };
    return { adjusted: values.map((v, t) => v / indices[t % m]!), indices, m };
  }
  const indices = computeSeasonalIndices(values, m, 'additive');
  return { adjusted: values.map((v, t) => v - indices[t % m]!), indices, m, additive: true };
}

/** Puts the seasonality back on forecasts of periods n+1..n+h. */
export function reseasonalize(forecast: readonly number[], adj: SeasonalAdjustment, n: number): number[] {
  const idx = adj.indices;
  if (!idx) return forecast.slice();
  return adj.additive
    ? forecast.map((f, i) => f + idx[(n + i) % adj.m]!)
    : forecast.map((f, i) => f * idx[(n + i) % adj.m]!);
}
