/**
 * Runs the ETS recursions over a series in error-correction form (as R's forecast::ets does: the state updates
 * depend on y only, the error type only changes the likelihood) and returns the -2·log-likelihood (without
 * constants), the sum of squared innovations and the final state. A non-positive one-step forecast under
 * multiplicative error or season makes the fit invalid (lik = Infinity).
 *
 * @example
 * // SES, α = 0.5, ℓ0 = 10 on [10, 12, 11]: errors 0, 2, 0 → sse 4, lik 3·ln 4, final level 11
 * runEtsFilter([10, 12, 11], { error: 'A', trend: 'N', season: 'N', m: 1 }, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 },
 *   { level: 10, trend: 0, season: [] });
 */
import type { EtsParams, EtsSpec, EtsState } from './ets-spec.js';

export interface EtsFilterResult {
  lik: number;
  sse: number;
  state: EtsState;
}

/** Updates `st` in place with observation y at time t (season slot t mod m); returns the one-step forecast. */
export function stepEts(spec: EtsSpec, p: EtsParams, st: EtsState, t: number, y: number): number {
  const j = spec.m > 1 ? t % spec.m : 0;
  const l = st.level;
  const phib = spec.trend === 'N' ? 0 : spec.trend === 'Ad' ? p.phi * st.trend : st.trend;
  const q = l + phib;
  const s = spec.season === 'N' ? 0 : st.season[j]!;
  const f = spec.season === 'M' ? q * s : q + s;
  const desea = spec.season === 'N' ? y : spec.season === 'A' ? y - s : y / s;
  const lNew = q + p.alpha * (desea - q);
  if (spec.trend !== 'N') st.trend = phib + (p.beta / p.alpha) * (lNew - l - phib);
  if (spec.season === 'A') st.season[j] = s + p.gamma * (y - q - s);
  else if (spec.season === 'M') st.season[j] = s + p.gamma * (y / q - s);
  st.level = lNew;
  return f;
}

export function runEtsFilter(
  y: ArrayLike<number>,
  spec: EtsSpec,
  p: EtsParams,
  init: EtsState,
): EtsFilterResult {
  // The hot loop of every fit: the same recursions as stepEts, on local variables (about 3× faster).
  const n = y.length;
  const m = spec.m > 1 ? spec.m : 1;
  const season = init.season.slice();
  const trendKind = spec.trend === 'N' ? 0 : spec.trend === 'A' ? 1 : 2;
  const seasonKind = spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2;
  const mult = spec.error === 'M';
  const needPositive = mult || seasonKind === 2;
  const { alpha, gamma, phi } = p;
  const betaStar = p.beta / p.alpha;
  let level = init.level;
  let trend = init.trend;
  let sse = 0;
  let logf = 0;
  let j = 0;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    const phib = trendKind === 0 ? 0 : trendKind === 1 ? trend : phi * trend;
    const q = level + phib;
    const s = seasonKind === 0 ? 0 : season[j]!;
    const f = seasonKind === 2 ? q * s : q + s;
    if (!(needPositive ? f > 0 : Number.isFinite(f))) {
      return { lik: Infinity, sse: Infinity, state: { level, trend, season } };
    }
    if (mult) {
      const e = (yt - f) / f;
      sse += e * e;
      logf += Math.log(f);
    } else {
      const e = yt - f;
      sse += e * e;
    }
    const desea = seasonKind === 0 ? yt : seasonKind === 1 ? yt - s : yt / s;
    const lNew = q + alpha * (desea - q);
    if (trendKind !== 0) trend = phib + betaStar * (lNew - level - phib);
    if (seasonKind === 1) season[j] = s + gamma * (yt - q - s);
    else if (seasonKind === 2) season[j] = s + gamma * (yt / q - s);
    level = lNew;
    if (++j === m) j = 0;
  }
  if (!Number.isFinite(sse)) return { lik: Infinity, sse: Infinity, state: { level, trend, season } };
  const lik = n * Math.log(Math.max(sse, 1e-300)) + (mult ? 2 * logf : 0);
  return { lik, sse, state: { level, trend, season } };
}
