import { describe, expect, it } from 'vitest';
import { backtestSeries } from '../../worker/forecast/backtest-series.js';
import { forecastSeries } from '../../worker/forecast/forecast-series.js';
import { AIR_PASSENGERS } from './fixtures/air-passengers.js';

const width = (r: ReturnType<typeof forecastSeries>, level: number, h: number): number => {
  const iv = r.intervals.find((i) => i.level === level)!;
  return iv.upper[h - 1]! - iv.lower[h - 1]!;
};

describe('worker/forecast/forecast-series', () => {
  it('forecasts AirPassengers with a seasonal model in the combination and sensible numbers', () => {
    const r = forecastSeries(AIR_PASSENGERS, { horizon: 24, seasonLength: 12 });
    expect(r.method).toMatch(/combo\(seasonal:.*ETS\([AM],(N|A|Ad),[AM]\)/);
    expect(r.mean).toHaveLength(24);
    // July above November, as every year of the history.
    expect(r.mean[6]!).toBeGreaterThan(r.mean[10]!);
    expect(r.mean[0]!).toBeGreaterThan(380);
    expect(r.mean[0]!).toBeLessThan(500);
    expect(r.intervals.map((i) => i.level)).toEqual([80, 95]);
    expect(width(r, 95, 1)).toBeGreaterThan(width(r, 80, 1));
    expect(width(r, 95, 13)).toBeGreaterThan(width(r, 95, 1));
    expect(width(r, 95, 24)).toBeGreaterThan(width(r, 95, 12));
  });

  it('widens intervals with every step on a non-seasonal series', () => {
    const y = [5, 7, 6, 9, 8, 10, 9, 12, 11, 13, 12, 15, 14, 16, 15, 18];
    const r = forecastSeries(y, { horizon: 6, seasonLength: 1, levels: [50, 90] });
    for (let h = 2; h <= 6; h++) expect(width(r, 90, h)).toBeGreaterThan(width(r, 90, h - 1));
    for (let h = 1; h <= 6; h++) {
      expect(r.intervals[0]!.lower[h - 1]!).toBeLessThanOrEqual(r.mean[h - 1]!);
      expect(r.intervals[0]!.upper[h - 1]!).toBeGreaterThanOrEqual(r.mean[h - 1]!);
    }
  });

  it('uses no seasonal model with fewer than two seasons', () => {
    const y = [10, 12, 14, 13, 15, 17, 16, 18, 20, 19, 21, 23, 22, 24, 26, 25, 27, 29];
    const r = forecastSeries(y, { horizon: 3, seasonLength: 12 });
    expect(r.method).not.toMatch(/,[AM]\)/);
  });

  it('answers zeros for an empty or all-zero history', () => {
    expect(forecastSeries([], { horizon: 2, seasonLength: 12 })).toEqual({
      method: 'none',
      mean: [0, 0],
      intervals: [
        { level: 80, lower: [0, 0], upper: [0, 0] },
        { level: 95, lower: [0, 0], upper: [0, 0] },
      ],
    });
    const z = forecastSeries([0, 0, 0, 0, 0, 0, 0, 0], { horizon: 2, seasonLength: 12, levels: [90] });
    expect(z).toEqual({
      method: 'zero',
      mean: [0, 0],
      intervals: [{ level: 90, lower: [0, 0], upper: [0, 0] }],
    });
  });

  it('falls back to naive on a few points', () => {
    // differences 2, 2 → σ = 2; 80 %: 14 ± 1.2816·2·√h
    const r = forecastSeries([10, 12, 14], { horizon: 2, seasonLength: 12, levels: [80] });
    expect(r.method).toBe('naive');
    expect(r.mean).toEqual([14, 14]);
    expect(r.intervals[0]!.upper[0]).toBeCloseTo(14 + 1.281552 * 2, 5);
    expect(r.intervals[0]!.upper[1]).toBeCloseTo(14 + 1.281552 * 2 * Math.SQRT2, 5);
  });

  it('uses Croston/SBA for intermittent counts and keeps bounds at or above 0', () => {
    const y = [0, 3, 0, 0, 2, 0, 0, 0, 4, 0, 1, 0];
    const r = forecastSeries(y, { horizon: 3, seasonLength: 12 });
    expect(r.method).toBe('croston-sba');
    expect(r.mean[0]).toBeGreaterThan(0);
    expect(r.mean[0]).toBeLessThan(2);
    for (const iv of r.intervals) expect(Math.min(...iv.lower)).toBeGreaterThanOrEqual(0);
  });

  it('treats leading zeros as time before launch, not as intermittent demand', () => {
    const y = [0, 0, 0, 0, 0, 0, 0, 0, 5, 10, 20, 40, 80, 160];
    const r = forecastSeries(y, { horizon: 2, seasonLength: 12 });
    expect(r.method).toMatch(/^combo\(/);
    expect(r.mean[0]!).toBeGreaterThan(160);
    expect(forecastSeries([0, 0, 0, 7, 9], { horizon: 1, seasonLength: 12 }).mean).toEqual([9]);
  });

  it('clamps forecasts of a falling non-negative series at 0', () => {
    const y = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10];
    const r = forecastSeries(y, { horizon: 12, seasonLength: 1 });
    expect(Math.min(...r.mean)).toBeGreaterThanOrEqual(0);
    for (const iv of r.intervals) expect(Math.min(...iv.lower)).toBeGreaterThanOrEqual(0);
    // A series with negative values is not clamped.
    const neg = forecastSeries(
      y.map((v) => v - 50),
      { horizon: 12, seasonLength: 1 },
    );
    expect(Math.min(...neg.mean)).toBeLessThan(-50);
  });

  it('honours an explicit method', () => {
    expect(
      forecastSeries([1, 2, 3, 4, 5, 6], { horizon: 4, seasonLength: 3, method: 'snaive' }).mean,
    ).toEqual([4, 5, 6, 4]);
    expect(forecastSeries(AIR_PASSENGERS, { horizon: 1, seasonLength: 12, method: 'ets' }).method).toMatch(
      /^ETS\(/,
    );
  });

  it('answers the same intervals for the same input', () => {
    const a = forecastSeries(AIR_PASSENGERS, { horizon: 3, seasonLength: 12, method: 'ets' });
    const b = forecastSeries(AIR_PASSENGERS, { horizon: 3, seasonLength: 12, method: 'ets' });
    expect(a).toEqual(b);
  });
});

describe('worker/forecast/backtest-series', () => {
  it('scores naive on the last origin by hand', () => {
    // train 1..4, test 5, 6, forecast 4, 4: MASE mean(1, 2)/1 = 1.5; sMAPE mean(200/9, 40)
    const r = backtestSeries([1, 2, 3, 4, 5, 6], { horizon: 2, seasonLength: 1, method: 'naive', folds: 1 });
    expect(r.horizon).toBe(2);
    expect(r.mase).toBe(1.5);
    expect(r.smape).toBeCloseTo((200 / 9 + 40) / 2, 10);
    expect(r.method).toBe('naive');
  });
  it('averages over rolling origins', () => {
    // origins 4 (test 5,6 → errors 1,2) and 3 (test 4,5 from 3 → errors 1,2): MASE 1.5 on both
    const r = backtestSeries([1, 2, 3, 4, 5, 6], { horizon: 2, seasonLength: 1, method: 'naive', folds: 2 });
    expect(r.mase).toBe(1.5);
  });
  it('is 0 for seasonal naive on a repeating series', () => {
    const y = [1, 2, 3, 1, 2, 3, 1, 2, 3];
    expect(backtestSeries(y, { horizon: 3, seasonLength: 3, method: 'snaive', folds: 1 })).toMatchObject({
      mase: 0,
      smape: 0,
    });
  });
});
