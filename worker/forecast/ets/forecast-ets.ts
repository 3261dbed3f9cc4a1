/**
 * Point forecasts of a fitted ETS model from its final state: (ℓ + φ_h·b) combined with the seasonal term of the
 * target period (φ_h = φ + … + φ^h, or h without damping).
 *
 * @example
 * // Holt with ℓ = 2.5, b = 2.25 at the end of the data
 * forecastEts({ spec: { error: 'A', trend: 'A', season: 'N', m: 1 }, state: { level: 2.5, trend: 2.25, season: [] }, … }, 2);
 * // => [4.75, 7]
 */
import type { EtsFit } from './ets-spec.js';

export function forecastEts(fit: EtsFit, horizon: number): number[] {
  const { spec, params, state, n } = fit;
  const out: number[] = [];
  let phiH = 0;
  let pw = 1;
  for (let h = 1; h <= horizon; h++) {
    if (spec.trend === 'Ad') {
      pw *= params.phi;
      phiH += pw;
    } else if (spec.trend === 'A') phiH = h;
    const q = state.level + phiH * state.trend;
    const j = (n + h - 1) % spec.m;
    const s = spec.season === 'N' ? 0 : state.season[j]!;
    out.push(spec.season === 'M' ? q * s : q + s);
  }
  return out;
}
