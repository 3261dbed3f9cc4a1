/**
 * Forecast variance of a fitted ETS model for h = 1..H. Exact for the linear (class 1) models,
 * σ²·[1 + Σ_{j<h} c_j²] with c_j = α + β·φ_j + γ·[j ≡ 0 mod m] (φ_j = j, or φ + … + φ^j when damped); for
 * multiplicative error or season the same expression on the relative scale, times the squared point forecast
 * (a first-order approximation that ignores the variance's feedback into the level).
 *
 * @example
 * // SES (ETS(A,N,N)) with α = 0.5, σ² = 4: v_h = 4·(1 + (h−1)·0.25)
 * computeEtsVariance(fit, [10, 10, 10]); // => [4, 5, 6]
 */
import type { EtsFit } from './ets-spec.js';

export function computeEtsVariance(fit: EtsFit, pointForecast: readonly number[]): number[] {
  const { spec, params, sigma2 } = fit;
  const relative = spec.error === 'M' || spec.season === 'M';
  // For additive error with multiplicative season σ² is absolute, otherwise relative when the error is M.
  const absSigma = spec.error === 'A';
  const out: number[] = [];
  let sum = 0;
  let phiJ = 0;
  let pw = 1;
  for (let h = 1; h <= pointForecast.length; h++) {
    const f = pointForecast[h - 1]!;
    const v = sigma2 * (1 + sum);
    out.push(relative && !absSigma ? v * f * f : v);
    // c_j for j = h, used from h + 1 on.
    if (spec.trend === 'Ad') {
      pw *= params.phi;
      phiJ += pw;
    } else if (spec.trend === 'A') phiJ = h;
    const seasonal = spec.season !== 'N' && h % spec.m === 0 ? params.gamma : 0;
    const c = params.alpha + params.beta * phiJ + seasonal;
    sum += c * c;
  }
  return out;
}
