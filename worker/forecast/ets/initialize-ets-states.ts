/**
 * Starting states for an ETS fit, after R's forecast::ets `initstate`: seasonal terms from a classical
 * decomposition of the first seasons, level and trend from a regression on the first (deseasonalised) points.
 */
import { computeSeasonalIndices } from '../seasonal-indices.js';
import type { EtsSpec, EtsState } from './ets-spec.js';

export function initializeEtsStates(y: readonly number[], spec: EtsSpec): EtsState {
  const m = spec.m;
  const n = y.length;
  let season: number[] = [];
  let desea = y;
  if (spec.season !== 'N') {
    const span = y.slice(0, Math.min(n, Math.max(2 * m, Math.min(3 * m, n))));
    const type = spec.season === 'M' ? 'multiplicative' : 'additive';
    season = computeSeasonalIndices(span, m, type);
    desea = y.map((v, t) => (spec.season === 'M' ? v / season[t % m]! : v - season[t % m]!));
  }
  const k = Math.min(n, Math.max(10, spec.season !== 'N' ? m : 0));
  if (spec.trend === 'N') {
    let s = 0;
    const kk = Math.min(n, spec.season !== 'N' ? m : 10);
    for (let t = 0; t < kk; t++) s += desea[t]!;
    return { level: s / Math.max(1, kk), trend: 0, season };
  }
  // Least squares on t = 1..k: level at t = 0 is the intercept, trend the slope.
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < k; t++) {
    const x = t + 1;
    sx += x;
    sy += desea[t]!;
    sxx += x * x;
    sxy += x * desea[t]!;
  }
  const den = k * sxx - sx * sx;
  const slope = den !== 0 ? (k * sxy - sx * sy) / den : 0;
  const intercept = (sy - slope * sx) / Math.max(1, k);
  return { level: intercept, trend: slope, season };
}
