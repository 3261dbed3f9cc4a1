import { describe, expect, it } from 'vitest';
import { forecastCombination } from '../../worker/forecast/forecast-combination.js';
import { createPrng } from '../../worker/forecast/prng.js';
import { forecastThetaAdjusted } from '../../worker/forecast/theta.js';
import { forecastThetaOptimized } from '../../worker/forecast/theta-optimized.js';

const LINE = Array.from({ length: 30 }, (_, i) => 10 + 3 * i);

describe('worker/forecast/theta-optimized', () => {
  it('keeps the slope of a steady trend, where the standard Theta method halves it', () => {
    const next = [100, 103, 106];
    for (const dynamic of [false, true]) {
      const f = forecastThetaOptimized(LINE, 3, { dynamic });
      f.forEach((v, h) => expect(Math.abs(v - next[h]!) / next[h]!).toBeLessThan(0.01));
    }
    const standard = forecastThetaAdjusted(LINE, 3);
    expect(standard[2]! - standard[0]!).toBeCloseTo(3, 1);
  });

  it('forecasts a level without trend flat, near its mean', () => {
    const rng = createPrng(7);
    const noisy = Array.from({ length: 40 }, () => 100 + 5 * rng.normal());
    for (const dynamic of [false, true]) {
      const f = forecastThetaOptimized(noisy, 6, { dynamic });
      expect(Math.max(...f) - Math.min(...f)).toBeLessThan(3);
      f.forEach((v) => expect(Math.abs(v - 100)).toBeLessThan(6));
    }
  });

  it('is a member of the combination, with ETS', () => {
    const r = forecastCombination(LINE, 1, 3, [80]);
    expect(r.method).toMatch(/^combo\(OTM\+DOTM\+ETS/);
    r.mean.forEach((v, h) => expect(Math.abs(v - (100 + 3 * h)) / (100 + 3 * h)).toBeLessThan(0.01));
  });
});
