/**
 * Future sample paths of a fitted ETS model (Gaussian innovations with the fitted variance, seeded PRNG), used for
 * prediction intervals of any model in the family. Returns paths[h-1] = sorted simulated values at horizon h.
 */
import { createPrng } from '../prng.js';
import type { EtsFit, EtsState } from './ets-spec.js';
import { stepEts } from './run-ets-filter.js';

export function simulateEtsPaths(fit: EtsFit, horizon: number, nPaths: number, seed: number): Float64Array[] {
  const rng = createPrng(seed);
  const sigma = Math.sqrt(fit.sigma2);
  const byH = Array.from({ length: horizon }, () => new Float64Array(nPaths));
  const st: EtsState = { level: 0, trend: 0, season: fit.state.season.slice() };
  const { spec, params } = fit;
  for (let p = 0; p < nPaths; p++) {
    st.level = fit.state.level;
    st.trend = fit.state.trend;
    for (let j = 0; j < st.season.length; j++) st.season[j] = fit.state.season[j]!;
    for (let h = 1; h <= horizon; h++) {
      const t = fit.n + h - 1;
      // One-step forecast without updating, then the simulated observation updates the states.
      const phib = spec.trend === 'N' ? 0 : spec.trend === 'Ad' ? params.phi * st.trend : st.trend;
      const q = st.level + phib;
      const s = spec.season === 'N' ? 0 : st.season[t % spec.m]!;
      const f = spec.season === 'M' ? q * s : q + s;
      const e = sigma * rng.normal();
      const y = spec.error === 'M' ? f * (1 + e) : f + e;
      byH[h - 1]![p] = y;
      stepEts(spec, params, st, t, y);
    }
  }
  for (const a of byH) a.sort();
  return byH;
}
