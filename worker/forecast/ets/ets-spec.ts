/** Types of the ETS (error, trend, season) state-space family, Hyndman et al. (2008) notation. */

export interface EtsSpec {
  error: 'A' | 'M';
  trend: 'N' | 'A' | 'Ad';
  season: 'N' | 'A' | 'M';
  /** Season length; 1 when season is N. */
  m: number;
}

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** States at one time: level, trend and the m seasonal terms, `season[j]` serving times t ≡ j (mod m). */
export interface EtsState {
  level: number;
  trend: number;
  season: number[];
}

export interface EtsFit {
  spec: EtsSpec;
  params: EtsParams;
  /** -2·log-likelihood up to a constant shared by all models fitted on the same data. */
  lik: number;
  aicc: number;
  /** Variance of the innovations (relative errors for multiplicative error). */
  sigma2: number;
  /** Number of observations fitted; the final state is at time n. */
  n: number;
  state: EtsState;
}

/** The conventional short name, e.g. ETS(M,Ad,M). */
export function formatEtsName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

/** Number of free parameters as R's forecast::ets counts them (smoothing, initial states, σ). */
export function countEtsParams(spec: EtsSpec): number {
  let k = 2; // alpha, l0
  if (spec.trend !== 'N') k += 2; // beta, b0
  if (spec.trend === 'Ad') k += 1;
  if (spec.season !== 'N') k += 1 + (spec.m - 1);
  return k + 1;
}
