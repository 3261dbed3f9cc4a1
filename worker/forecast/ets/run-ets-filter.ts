/**
 * Runs the ETS recursions over a series in error-correction form (as R's forecast::ets does: the state updates
 * depend on y only, the error type only changes the likelihood) and returns the -2·log-likelihood (without
 * constants), the sum of squared innovations and the final state. A non-positive one-step forecast under
 * multiplicative error or season makes the fit invalid (lik = Infinity).
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
  const st: EtsState = { level: init.level, trend: init.trend, season: init.season.slice() };
  const n = y.length;
  const mult = spec.error === 'M';
  const needPositive = mult || spec.season === 'M';
  let sse = 0;
  let logf = 0;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    const f = stepEts(spec, p, st, t, yt);
    if (needPositive && !(f > 0)) return { lik: Infinity, sse: Infinity, state: st };
    if (!Number.isFinite(f)) return { lik: Infinity, sse: Infinity, state: st };
    if (mult) {
      const e = (yt - f) / f;
      sse += e * e;
      logf += Math.log(f);
    } else {
      const e = yt - f;
      sse += e * e;
    }
  }
  const lik = n * Math.log(Math.max(sse, 1e-300)) + (mult ? 2 * logf : 0);
  return { lik, sse, state: st };
}
