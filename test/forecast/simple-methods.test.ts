import { describe, expect, it } from 'vitest';
import { forecastCroston } from '../../worker/forecast/croston.js';
import { forecastNaive2 } from '../../worker/forecast/naive2.js';
import { computeSeasonalIndices } from '../../worker/forecast/seasonal-indices.js';
import { forecastSeasonalNaive } from '../../worker/forecast/seasonal-naive.js';
import { testSeasonality } from '../../worker/forecast/seasonality-test.js';
import { forecastTheta } from '../../worker/forecast/theta.js';

const ALTERNATING = [10, 30, 10, 30, 10, 30, 10, 30, 10, 30, 10, 30, 10, 30, 10, 30];

describe('worker/forecast/seasonal-naive', () => {
  it('repeats the last season', () => {
    expect(forecastSeasonalNaive([1, 2, 3, 4, 5, 6], 3, 4)).toEqual([4, 5, 6, 4]);
  });
});

describe('worker/forecast/seasonality-test', () => {
  it('needs r_m above 1.645·Bartlett standard error', () => {
    // n = 16: r1 = −15/16, r2 = 14/16 = 0.875; limit = 1.645/4·√(1 + 2·(15/16)²) = 0.683
    expect(testSeasonality(ALTERNATING, 2)).toBe(true);
    // n = 8: r2 = 0.75 < 1.645/√8·√(1 + 2·0.875²) = 0.925
    expect(testSeasonality(ALTERNATING.slice(0, 8), 2)).toBe(false);
  });
  it('needs three seasons by default', () => {
    expect(testSeasonality([1, 2, 3, 4], 12)).toBe(false);
  });
});

describe('worker/forecast/seasonal-indices', () => {
  it('averages ratios (or differences) to the centred moving average', () => {
    // 2×2 moving average of 1,3,1,3,… is 2 everywhere: ratios 0.5 and 1.5, differences −1 and +1
    expect(computeSeasonalIndices([1, 3, 1, 3, 1, 3], 2, 'additive')).toEqual([-1, 1]);
    expect(computeSeasonalIndices([1, 3, 1, 3, 1, 3], 2)).toEqual([0.5, 1.5]);
  });
});

describe('worker/forecast/naive2', () => {
  it('reseasonalises the last adjusted value when the test passes', () => {
    // indices 0.5, 1.5; last adjusted value 30/1.5 = 20 → 20·0.5, 20·1.5, 20·0.5
    expect(forecastNaive2(ALTERNATING, 2, 3)).toEqual([10, 30, 10]);
  });
  it('is plain naive when the series is not seasonal', () => {
    expect(forecastNaive2(ALTERNATING.slice(0, 8), 2, 2)).toEqual([30, 30]);
  });
});

describe('worker/forecast/croston', () => {
  it('divides the smoothed size by the smoothed interval (SBA)', () => {
    // sizes 2, 2 → 2; intervals 2, 3 → 2 + 0.1·(3 − 2) = 2.1; (1 − 0.05)·2/2.1
    const f = forecastCroston([0, 2, 0, 0, 2], 2);
    expect(f[0]).toBeCloseTo((0.95 * 2) / 2.1, 12);
    expect(f[1]).toBe(f[0]);
  });
  it('forecasts 0 without any demand', () => {
    expect(forecastCroston([0, 0, 0], 1)).toEqual([0]);
  });
});

describe('worker/forecast/theta', () => {
  it('adds half the regression slope per step', () => {
    // slope of 1..8 is 1, so successive forecasts differ by 0.5; SES alpha ≈ 1 puts the start near 8.5
    const f = forecastTheta([1, 2, 3, 4, 5, 6, 7, 8], 1, 3);
    expect(f[1]! - f[0]!).toBeCloseTo(0.5, 10);
    expect(f[2]! - f[1]!).toBeCloseTo(0.5, 10);
    expect(f[0]).toBeCloseTo(8.5, 1);
  });
});
