/**
 * When does the balance reach zero? Sample paths of daily spend around the forecast, run each path through the
 * balance (spend spread evenly over each day) with or without auto-renewal, and take the P10 / P50 / P90 of
 * the run-out day. Auto-renewal fires the moment the balance is at or below the threshold (one in flight at a
 * time, DOMAIN.md §9.5), and its funds arrive after the settlement delay; a monthly cap limits what renewals
 * add per calendar month. The balance reaching zero blocks paid sends, so that day counts as run-out even when
 * a renewal lands later the same day.
 *
 * Paths: spend_h = max(0, mean_h + σ_h·(√ρ·z_path + √(1−ρ)·z_h)) with σ_h from the 80 % band and ρ = 0.5, so
 * part of the uncertainty is a level shared by the whole path (a run of busy weeks) and part is daily noise.
 * A seeded generator keeps answers repeatable for the same inputs.
 */
import { createPrng } from '../forecast/prng.js';

export interface RenewalPlan {
  readonly threshold: number;
  /** Fixed amount added, or (mode target) the balance to top up to. */
  readonly amount: number;
  readonly mode: 'fixed' | 'target';
  readonly monthlyCap: number | null;
  readonly delayDays: number;
}

export interface RunOut {
  readonly p10: string | null;
  readonly p50: string | null;
  readonly p90: string | null;
  /** Share of paths that run out within the horizon. */
  readonly probability: number;
}

const Z80 = 1.2815515655446004;
const RHO = 0.5;

/** A small stable hash of a string, to seed the paths of one number. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** `n` sample paths of daily spend around the forecast. */
export function sampleSpendPaths(
  mean: readonly number[],
  lower80: readonly number[],
  upper80: readonly number[],
  n: number,
  seed: number,
): Float64Array[] {
  const rand = createPrng(seed).uniform;
  const normal = () => {
    const u = 1 - rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const sigma = mean.map((_, i) => Math.max(0, ((upper80[i] ?? 0) - (lower80[i] ?? 0)) / (2 * Z80)));
  const paths: Float64Array[] = [];
  for (let p = 0; p < n; p++) {
    const level = normal();
    const path = new Float64Array(mean.length);
    for (let h = 0; h < mean.length; h++) {
      const z = Math.sqrt(RHO) * level + Math.sqrt(1 - RHO) * normal();
      path[h] = Math.max(0, (mean[h] ?? 0) + (sigma[h] ?? 0) * z);
    }
    paths.push(path);
  }
  return paths;
}

/** Index of the day the balance reaches zero on one path, or Infinity when it lasts the horizon. */
export function runOutIndex(
  path: ArrayLike<number>,
  balance: number,
  plan: RenewalPlan | null,
  monthKey: (dayIndex: number) => string,
): number {
  let b = balance;
  if (b <= 0) return 0;
  let arrival = -1;
  let incoming = 0;
  const added = new Map<string, number>();
  for (let d = 0; d < path.length; d++) {
    const rate = path[d] ?? 0;
    let t = d;
    while (t < d + 1) {
      if (plan && arrival < 0 && b <= plan.threshold) {
        const month = monthKey(d);
        const used = added.get(month) ?? 0;
        let add = plan.mode === 'fixed' ? plan.amount : plan.amount - b;
        if (plan.monthlyCap !== null) add = Math.min(add, plan.monthlyCap - used);
        if (add > 0) {
          arrival = t + plan.delayDays;
          incoming = add;
          added.set(month, used + add);
        }
      }
      let next = d + 1;
      let event: 'end' | 'arrival' | 'threshold' = 'end';
      if (arrival >= 0 && arrival < next) {
        next = arrival;
        event = 'arrival';
      }
      if (rate > 0) {
        if (plan && arrival < 0 && b > plan.threshold) {
          const tThreshold = t + (b - plan.threshold) / rate;
          if (tThreshold < next) {
            next = tThreshold;
            event = 'threshold';
          }
        }
        // Zero before (or exactly at) the next event: the balance is gone first.
        if (t + b / rate <= next && !(event === 'threshold' && plan && plan.threshold > 0)) return d;
      }
      b = event === 'threshold' && plan ? plan.threshold : b - rate * (next - t);
      t = next;
      if (event === 'arrival') {
        b += incoming;
        arrival = -1;
        incoming = 0;
      }
    }
  }
  return Infinity;
}

/** P10 / P50 / P90 run-out dates over the paths (nearest rank; null = not within the horizon). */
export function runOutQuantiles(
  paths: readonly Float64Array[],
  balance: number,
  plan: RenewalPlan | null,
  days: readonly string[],
): RunOut {
  const monthKey = (i: number) => (days[i] ?? '').slice(0, 7);
  const idx = paths.map((p) => runOutIndex(p, balance, plan, monthKey)).sort((a, b) => a - b);
  const q = (p: number): string | null => {
    if (idx.length === 0) return null;
    const v = idx[Math.max(0, Math.ceil(p * idx.length) - 1)] ?? Infinity;
    return Number.isFinite(v) ? (days[v] ?? null) : null;
  };
  const finite = idx.filter((v) => Number.isFinite(v)).length;
  return { p10: q(0.1), p50: q(0.5), p90: q(0.9), probability: idx.length ? finite / idx.length : 0 };
}
