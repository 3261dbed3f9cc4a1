import { describe, expect, it } from 'vitest';
import { computeEtsVariance } from '../../worker/forecast/ets/compute-ets-variance.js';
import type { EtsFit, EtsSpec } from '../../worker/forecast/ets/ets-spec.js';
import { countEtsParams, formatEtsName } from '../../worker/forecast/ets/ets-spec.js';
import { fitEts } from '../../worker/forecast/ets/fit-ets.js';
import { forecastEts } from '../../worker/forecast/ets/forecast-ets.js';
import { runEtsFilter } from '../../worker/forecast/ets/run-ets-filter.js';
import { listEtsCandidates, selectEts } from '../../worker/forecast/ets/select-ets.js';
import { minimizeNelderMead } from '../../worker/forecast/nelder-mead.js';
import { AIR_PASSENGERS } from './fixtures/air-passengers.js';

const ANN: EtsSpec = { error: 'A', trend: 'N', season: 'N', m: 1 };
const AAN: EtsSpec = { error: 'A', trend: 'A', season: 'N', m: 1 };

function fitOf(spec: EtsSpec, alpha: number, beta: number, sigma2: number, level: number, trend = 0): EtsFit {
  return {
    spec,
    params: { alpha, beta, gamma: 0, phi: 1 },
    lik: 0,
    aicc: 0,
    sigma2,
    n: 3,
    state: { level, trend, season: [] },
  };
}

describe('worker/forecast/ets/run-ets-filter', () => {
  it('runs SES by hand: ℓ_t = ℓ_{t−1} + α·e_t', () => {
    // α = 0.5, ℓ0 = 10: forecasts 10, 10, 11; errors 0, 2, 0; levels 10, 11, 11
    const r = runEtsFilter(
      [10, 12, 11],
      ANN,
      { alpha: 0.5, beta: 0, gamma: 0, phi: 1 },
      { level: 10, trend: 0, season: [] },
    );
    expect(r.sse).toBe(4);
    expect(r.lik).toBeCloseTo(3 * Math.log(4), 12);
    expect(r.state.level).toBe(11);
  });
  it("runs Holt's linear trend by hand", () => {
    // ℓ0 = 0, b0 = 2, y = 3: forecast 2, e = 1, ℓ = 2 + 0.5 = 2.5, b = 2 + (β/α)(2.5 − 0 − 2) = 2.25
    const r = runEtsFilter(
      [3],
      AAN,
      { alpha: 0.5, beta: 0.25, gamma: 0, phi: 1 },
      { level: 0, trend: 2, season: [] },
    );
    expect(r.state).toEqual({ level: 2.5, trend: 2.25, season: [] });
    expect(forecastEts({ ...fitOf(AAN, 0.5, 0.25, 1, 2.5, 2.25), n: 1 }, 2)).toEqual([4.75, 7]);
  });
  it('rejects non-positive forecasts under multiplicative error', () => {
    const r = runEtsFilter(
      [1, 2],
      { ...ANN, error: 'M' },
      { alpha: 0.5, beta: 0, gamma: 0, phi: 1 },
      { level: -1, trend: 0, season: [] },
    );
    expect(r.lik).toBe(Infinity);
  });
});

describe('worker/forecast/ets/compute-ets-variance', () => {
  it('grows as σ²·(1 + (h−1)·α²) for SES', () => {
    expect(computeEtsVariance(fitOf(ANN, 0.5, 0, 4, 10), [10, 10, 10])).toEqual([4, 5, 6]);
  });
  it('adds β·j for a linear trend: c_j = α + β·j', () => {
    // α = 0.5, β = 0.25: c1 = 0.75, c2 = 1 → 1, 1 + 0.5625, 1 + 0.5625 + 1
    expect(computeEtsVariance(fitOf(AAN, 0.5, 0.25, 1, 0, 1), [1, 2, 3])).toEqual([1, 1.5625, 2.5625]);
  });
});

describe('worker/forecast/ets/ets-spec', () => {
  it('counts parameters as forecast::ets does', () => {
    expect(countEtsParams(ANN)).toBe(3); // α, ℓ0, σ
    expect(countEtsParams({ error: 'M', trend: 'Ad', season: 'M', m: 12 })).toBe(2 + 2 + 1 + 12 + 1);
    expect(formatEtsName({ error: 'M', trend: 'Ad', season: 'M', m: 12 })).toBe('ETS(M,Ad,M)');
  });
});

describe('worker/forecast/nelder-mead', () => {
  it('finds the minimum of a quadratic', () => {
    const r = minimizeNelderMead((x) => (x[0]! - 1) ** 2 + (x[1]! + 2) ** 2, [0, 0], {
      tolerance: 1e-14,
      maxEvaluations: 2000,
    });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(-2, 4);
  });
});

describe('worker/forecast/ets/fit-ets', () => {
  it('recovers a flat level with a small α', () => {
    const y = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9];
    const fit = fitEts(y, ANN)!;
    expect(fit.params.alpha).toBeLessThan(0.2);
    expect(forecastEts(fit, 1)[0]).toBeCloseTo(10, 0);
  });
});

describe('worker/forecast/ets/select-ets', () => {
  it('skips A-error with M-season, M models on non-positive data and seasons without two full cycles', () => {
    const names = listEtsCandidates(48, 12, true).map(formatEtsName);
    expect(names).toHaveLength(15);
    expect(names).not.toContain('ETS(A,N,M)');
    expect(listEtsCandidates(48, 12, false).map(formatEtsName)).toEqual([
      'ETS(A,N,N)',
      'ETS(A,N,A)',
      'ETS(A,A,N)',
      'ETS(A,A,A)',
      'ETS(A,Ad,N)',
      'ETS(A,Ad,A)',
    ]);
    expect(listEtsCandidates(20, 12, true).every((s) => s.season === 'N')).toBe(true);
  });
  it('picks a seasonal model for AirPassengers', () => {
    const fit = selectEts(AIR_PASSENGERS, 12)!;
    expect(fit.spec.season).not.toBe('N');
    // R's forecast::ets picks ETS(M,Ad,M) here; ours must at least prefer a multiplicative season.
    expect(fit.spec.season).toBe('M');
  });
});
