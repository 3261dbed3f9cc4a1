/**
 * The combination forecaster for regular series: the mean of automatic ETS and the optimised Theta models OTM and
 * DOTM (theta-optimized.ts; plus SES for histories of at most three seasons). Combinations of simple methods beat
 * each of them on the M3 data (Makridakis & Hibon 2000), but only when they agree on the season: a seasonal model
 * averaged with flat ones washes the season out. So the season is decided once (detect-season.ts, which works
 * from two seasons on) and the Theta and SES members follow it: when seasonal they run on the seasonally adjusted
 * series (classical decomposition, multiplicative, or additive when the series has zeros). ETS keeps its own AICc
 * choice over the whole family, a second test of the season that weighs its parameters: forcing ETS seasonal
 * whenever the test passes, or dropping it when it chose no season, both measured worse (M3 monthly OWA 0.818 and
 * 0.821 against 0.813). Replacing the standard Theta and damped-trend members by OTM and DOTM took M3 monthly
 * from 0.811 to 0.798 (their θ follows each series' trend instead of halving it).
 * Intervals come from the selected ETS model's variance re-centred on the combined forecast, plus the spread
 * between the members.
 */
import { fitEts } from './ets/fit-ets.js';
import { forecastEts } from './ets/forecast-ets.js';
import { formatEtsName } from './ets/ets-spec.js';
import { selectEts } from './ets/select-ets.js';
import { computeEtsVariance } from './ets/compute-ets-variance.js';
import { countEtsParams, type EtsFit, type EtsSpec } from './ets/ets-spec.js';
import { detectSeason, type SeasonDecision } from './detect-season.js';
import { computeNormalIntervals } from './normal-intervals.js';
import { adjustBySeason, reseasonalize, type SeasonalAdjustment } from './seasonal-adjustment.js';
import { forecastThetaOptimized } from './theta-optimized.js';
import type { ForecastResult } from './types.js';

/**
 * Standard deviation per horizon: the forecast variance of the ETS model (`spread`, rescaled to the combined
 * level) plus the variance between the combined forecasts, a measure of model uncertainty that the single
 * model's variance leaves out.
 */
function combineSpread(spread: Spread | null, parts: readonly number[][], mean: readonly number[]): number[] {
  const fit = spread?.fit ?? null;
  const etsMean = fit ? forecastEts(fit, mean.length) : null;
  const v = fit && etsMean ? computeEtsVariance(fit, etsMean) : null;
  const relative = !!fit && (fit.spec.error === 'M' || fit.spec.season === 'M' || spread!.rescale);
  return mean.map((c, h) => {
    let between = 0;
    for (const p of parts) between += (p[h]! - c) ** 2;
    between /= Math.max(1, parts.length - 1);
    let model = v ? v[h]! : 0;
    const e = etsMean ? etsMean[h]! : 0;
    if (relative && e > 0 && c > 0) model *= (c / e) ** 2;
    return Math.sqrt(model + between);
  });
}

/**
 * The ETS fit whose variance sets the intervals. When the combination is seasonal but ETS chose no season, its
 * innovations hold the whole season and its variance is far too wide (measured: 96 % of 24-month WhatsApp-like
 * months inside the 80 % band); the same model refitted on the seasonally adjusted series measures the noise
 * around the season instead, rescaled to the level of each forecast month (`rescale`).
 */
interface Spread {
  readonly fit: EtsFit;
  readonly rescale: boolean;
  /** Parameters spent on the fit: the model's, plus the seasonal indices of a refit on the adjusted series. */
  readonly params: number;
}

function spreadOf(ets: EtsFit | null, adj: SeasonalAdjustment): Spread | null {
  if (!ets) return null;
  const own = { fit: ets, rescale: false, params: countEtsParams(ets.spec) };
  if (!adj.indices || ets.spec.season !== 'N') return own;
  const refit = fitEts(adj.adjusted, ets.spec);
  return refit ? { fit: refit, rescale: !adj.additive, params: own.params + adj.m - 1 } : own;
}

/** The members' forecasts of one series, before they are combined. */
export interface Members {
  readonly names: string[];
  readonly parts: number[][];
  readonly ets: EtsFit | null;
  /** The fit behind the intervals, computed on first use (backtests ask for no intervals). */
  readonly spread: () => Spread | null;
  /** Index of the ETS member in `parts`, or -1. */
  readonly etsIndex: number;
  readonly n: number;
  readonly tag: string;
}

/**
 * Fits the ETS, OTM, DOTM (and, for short histories, SES) members on a series of at least 4 points; ETS
 * chooses among `etsCandidates` when given (a backtest refits the model already chosen).
 */
export function forecastMembers(
  values: readonly number[],
  seasonLength: number,
  horizon: number,
  decision: SeasonDecision = detectSeason(values, seasonLength),
  etsCandidates?: readonly EtsSpec[],
): Members {
  const n = values.length;
  const m = seasonLength;
  const short = n <= 3 * m;
  const ets = selectEts(values, m, etsCandidates);
  const adj = adjustBySeason(values, m, decision);
  const parts: number[][] = [];
  const names: string[] = [];
  for (const dynamic of [false, true]) {
    parts.push(reseasonalize(forecastThetaOptimized(adj.adjusted, horizon, { dynamic }), adj, n));
    names.push(dynamic ? 'DOTM' : 'OTM');
  }
  let etsIndex = -1;
  if (ets) {
    etsIndex = parts.length;
    parts.push(forecastEts(ets, horizon));
    names.push(formatEtsName(ets.spec));
  }
  if (short) {
    const ses = fitEts(adj.adjusted, { error: 'A', trend: 'N', season: 'N', m: 1 });
    if (ses) {
      parts.push(reseasonalize(forecastEts(ses, horizon), adj, n));
      names.push('SES');
    }
  }
  const tag = adj.indices ? (adj.additive ? 'seasonal-additive:' : 'seasonal:') : '';
  let spread: Spread | null | undefined;
  return {
    names,
    parts,
    ets,
    spread: () => (spread === undefined ? (spread = spreadOf(ets, adj)) : spread),
    etsIndex,
    n,
    tag,
  };
}

/** The mean of the chosen members (all by default) with intervals; see the file comment. */
export function combineMembers(
  mem: Members,
  levels: readonly number[],
  pick: readonly number[] = mem.parts.map((_, i) => i),
): ForecastResult {
  const parts = pick.map((i) => mem.parts[i]!);
  const horizon = parts[0]!.length;
  const mean = Array.from({ length: horizon }, (_, h) => parts.reduce((s, p) => s + p[h]!, 0) / parts.length);
  const spread = levels.length > 0 ? mem.spread() : null;
  const sigma = combineSpread(spread, parts, mean);
  // σ is estimated from n − k residuals (k counting seasonal indices an adjusted refit relied on): Student's t
  // quantiles widen short histories' intervals (measured: +1.5 points of coverage on 24-month M3 histories, +0.3
  // on full ones).
  const df = spread ? Math.max(1, mem.n - spread.params) : Infinity;
  const intervals = computeNormalIntervals(mean, sigma, levels, df);
  const names = pick.map((i) => mem.names[i]!);
  const method = names.length === 1 ? names[0]! : `combo(${mem.tag}${names.join('+')})`;
  return { method, mean, intervals };
}

/** Forecasts a series of at least 4 points with the ETS + OTM + DOTM (+ SES) combination. */
export function forecastCombination(
  values: readonly number[],
  seasonLength: number,
  horizon: number,
  levels: readonly number[],
  decision: SeasonDecision = detectSeason(values, seasonLength),
): ForecastResult {
  return combineMembers(forecastMembers(values, seasonLength, horizon, decision), levels);
}
