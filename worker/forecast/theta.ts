/**
 * The standard Theta method (Assimakopoulos & Nikolopoulos 2000, in Hyndman & Billah's SES-with-drift form, as in
 * the M4 benchmark code): seasonally adjust when the 90 % test passes, fit SES by maximum likelihood, add half the
 * slope of the linear trend as drift, reseasonalise. `forecastThetaAdjusted` runs the same on a series already
 * adjusted by the caller.
 *
 * @example
 * forecastTheta([1, 2, 3, 4, 5, 6, 7, 8], 1, 2); // ≈ [8.5…, 9…] (a straight line continues, with damped start)
 */
import { fitEts } from './ets/fit-ets.js';
import { forecastEts } from './ets/forecast-ets.js';
import { adjustSeasonality, reseasonalize } from './seasonal-adjustment.js';

export function forecastThetaAdjusted(x: readonly number[], horizon: number): number[] {
  const n = x.length;
  const fit = fitEts(x, { error: 'A', trend: 'N', season: 'N', m: 1 });
  const level = fit ? forecastEts(fit, 1)[0]! : x[n - 1]!;
  const alpha = fit ? fit.params.alpha : 1;
  // Slope of the least-squares line through (t, x_t), t = 0..n-1.
  const tm = (n - 1) / 2;
  let xm = 0;
  for (const v of x) xm += v;
  xm /= n;
  let num = 0;
  let den = 0;
  for (let t = 0; t < n; t++) {
    num += (t - tm) * (x[t]! - xm);
    den += (t - tm) ** 2;
  }
  const drift = den > 0 ? num / den / 2 : 0;
  const out: number[] = [];
  const c = (1 - (1 - alpha) ** n) / alpha;
  for (let h = 0; h < horizon; h++) out.push(level + drift * (h + c));
  return out;
}

export function forecastTheta(
  values: readonly number[],
  seasonLength: number,
  horizon: number,
  opts: { minSeasons?: number } = {},
): number[] {
  const adj = adjustSeasonality(values, seasonLength, opts.minSeasons ?? 3);
  return reseasonalize(forecastThetaAdjusted(adj.adjusted, horizon), adj, values.length);
}
