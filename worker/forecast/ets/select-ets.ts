/**
 * Automatic ETS: fits every admissible model of the family and keeps the lowest AICc. As in R's forecast::ets,
 * additive error with multiplicative season is skipped (numerically unstable), multiplicative error or season
 * needs strictly positive data, and seasonal models need a season length > 1 and at least two full seasons.
 *
 * @example
 * selectEts(AIR_PASSENGERS, 12)!.spec; // => { error: 'M', trend: …, season: 'M', m: 12 }
 */
import type { EtsFit, EtsSpec } from './ets-spec.js';
import { fitEts } from './fit-ets.js';

/** Lists the candidate ETS models for a series of length n with season length m. */
export function listEtsCandidates(n: number, m: number, positive: boolean): EtsSpec[] {
  const seasons: EtsSpec['season'][] = m > 1 && n >= 2 * m ? ['N', 'A', 'M'] : ['N'];
  const out: EtsSpec[] = [];
  for (const error of positive ? (['A', 'M'] as const) : (['A'] as const))
    for (const trend of ['N', 'A', 'Ad'] as const)
      for (const season of seasons) {
        if (error === 'A' && season === 'M') continue;
        if (season === 'M' && !positive) continue;
        out.push({ error, trend, season, m: season === 'N' ? 1 : m });
      }
  return out;
}

/** Fits the candidates (or the given list) and returns the AICc-best fit, or null if none could be fitted. */
export function selectEts(y: readonly number[], m: number, candidates?: readonly EtsSpec[]): EtsFit | null {
  const positive = y.every((v) => v > 0);
  const specs = candidates ?? listEtsCandidates(y.length, m, positive);
  let best: EtsFit | null = null;
  for (const spec of specs) {
    const fit = fitEts(y, spec);
    if (fit && Number.isFinite(fit.aicc) && (!best || fit.aicc < best.aicc)) best = fit;
  }
  return best;
}
