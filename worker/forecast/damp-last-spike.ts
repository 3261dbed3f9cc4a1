/**
 * A one-off spike (a campaign, a bulk import) or a sudden gap in the last month would otherwise be extrapolated:
 * every smoothing model moves its level most towards the newest point. When the last value, seasonally adjusted,
 * lies more than 5 robust standard deviations (1.4826·MAD) from the median of the preceding season, it is pulled
 * back to 3 robust standard deviations from that median before the models see it. The history is not changed.
 *
 * @example
 * dampLastSpike([10, 11, 9, 10, 12, 10, 11, 9, 10, 50], 1, { seasonal: false, multiplicative: true }).at(-1);
 * // => ≈ 13 (the median 10 plus 3 robust standard deviations)
 */
import type { SeasonDecision } from './detect-season.js';
import { adjustBySeason } from './seasonal-adjustment.js';

const TRIGGER = 5;
const CAP = 3;

function median(a: number[]): number {
  const s = a.slice().sort((x, y) => x - y);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
}

export function dampLastSpike(values: readonly number[], m: number, decision: SeasonDecision): number[] {
  const n = values.length;
  const k = Math.max(6, Math.min(12, m));
  if (n < k + 1) return values.slice();
  const adj = adjustBySeason(values, m, decision);
  const x = adj.adjusted;
  const ref = x.slice(n - 1 - k, n - 1);
  const med = median(ref);
  const sd = 1.4826 * median(ref.map((v) => Math.abs(v - med)));
  const last = x[n - 1]!;
  if (!(sd > 0) || Math.abs(last - med) <= TRIGGER * sd) return values.slice();
  const target = med + Math.sign(last - med) * CAP * sd;
  const idx = adj.indices;
  const j = (n - 1) % m;
  const back = !idx ? target : adj.additive ? target + idx[j]! : target * idx[j]!;
  const out = values.slice();
  out[n - 1] = Math.max(values.every((v) => v >= 0) ? 0 : -Infinity, back);
  return out;
}
