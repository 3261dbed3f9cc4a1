import { describe, expect, it } from 'vitest';
import { computeAicc } from '../../worker/forecast/ets/compute-aicc.js';
import { computeMase } from '../../worker/forecast/mase.js';
import { normalQuantile } from '../../worker/forecast/normal-quantile.js';
import { createPrng } from '../../worker/forecast/prng.js';
import { studentQuantile } from '../../worker/forecast/student-quantile.js';
import { computeSmape } from '../../worker/forecast/smape.js';

describe('worker/forecast/smape', () => {
  it('averages 200·|y−ŷ|/(|y|+|ŷ|)', () => {
    // 200·10/210 = 9.5238…, 200·20/380 = 10.5263…
    expect(computeSmape([100, 200], [110, 180])).toBeCloseTo((2000 / 210 + 4000 / 380) / 2, 10);
  });
  it('counts 0 against 0 as a perfect term, not NaN', () => {
    expect(computeSmape([0, 10], [0, 10])).toBe(0);
    expect(computeSmape([0], [5])).toBe(200);
  });
});

describe('worker/forecast/mase', () => {
  it('scales by the in-sample mean absolute difference at lag 1', () => {
    // scale = mean(1,1,1) = 1; errors |5−6|, |7−6| → 1
    expect(computeMase([1, 2, 3, 4], [5, 7], [6, 6], 1)).toBe(1);
  });
  it('uses the seasonal lag m', () => {
    // lag-2 differences of [1,3,2,6,3,5]: 1, 3, 1, −1 → scale 1.5; error mean(3, 0) = 1.5 → 1
    expect(computeMase([1, 3, 2, 6, 3, 5], [4, 7], [7, 7], 2)).toBe(1);
  });
  it('falls back to lag 1 when the history is shorter than a season', () => {
    expect(computeMase([1, 3], [5], [4], 12)).toBe(0.5);
  });
  it('answers Infinity for a constant history with an imperfect forecast', () => {
    expect(computeMase([2, 2, 2], [3], [2], 1)).toBe(Infinity);
    expect(computeMase([2, 2, 2], [2], [2], 1)).toBe(0);
  });
});

describe('worker/forecast/ets/compute-aicc', () => {
  it('adds 2k and the small-sample correction', () => {
    expect(computeAicc(100, 3, 20)).toBe(107.5); // 100 + 6 + 2·3·4/16
  });
  it('refuses models with as many parameters as points', () => {
    expect(computeAicc(10, 5, 6)).toBe(Infinity);
  });
});

describe('worker/forecast/normal-quantile', () => {
  it('matches the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6);
  });
});

describe('worker/forecast/student-quantile', () => {
  it('matches the t tables and tends to the normal', () => {
    expect(studentQuantile(0.975, 10)).toBeCloseTo(2.2281, 3);
    expect(studentQuantile(0.9, 20)).toBeCloseTo(1.3253, 3);
    expect(studentQuantile(0.975, 5)).toBeCloseTo(2.5706, 3);
    expect(studentQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
  });
});

describe('worker/forecast/prng', () => {
  it('is reproducible and draws standard normals', () => {
    expect(createPrng(42).uniform()).toBe(0.6011037519201636);
    const rng = createPrng(1);
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = rng.normal();
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / 20_000)).toBeLessThan(0.03);
    expect(sq / 20_000).toBeGreaterThan(0.95);
    expect(sq / 20_000).toBeLessThan(1.05);
  });
});
