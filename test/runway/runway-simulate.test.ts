import { describe, expect, it } from 'vitest';
import { addDays } from '../../worker/kernel/calendar.js';
import { forecastDailySpend, monthlyFactors } from '../../worker/runway/runway-forecast.js';
import { recommendRenewal } from '../../worker/runway/runway-recommend.js';
import { runOutIndex, runOutQuantiles, type RenewalPlan } from '../../worker/runway/runway-simulate.js';

const TODAY = '2025-08-15';
const days = Array.from({ length: 90 }, (_, i) => addDays(TODAY, i));
const month = (i: number) => (days[i] ?? '').slice(0, 7);
const flat = (v: number, n = 90) => new Float64Array(n).fill(v);
const DELAY = 30 / (24 * 60); // 30 minutes in days

describe('runway simulation (hand-checked)', () => {
  it('constant spend 10/day from 95 runs out on day index 9 (95 − 9·10 = 5 left, gone mid-day)', () => {
    expect(runOutIndex(flat(10), 95, null, month)).toBe(9);
    const q = runOutQuantiles([flat(10)], 95, null, days);
    expect(q).toEqual({ p10: '2025-08-24', p50: '2025-08-24', p90: '2025-08-24', probability: 1 });
  });

  it('a balance at or below zero runs out today', () => {
    expect(runOutIndex(flat(10), 0, null, month)).toBe(0);
  });

  it('auto-renewal (threshold 30, +100, 30 min delay) keeps it funded for 90 days', () => {
    const plan: RenewalPlan = {
      threshold: 30,
      amount: 100,
      mode: 'fixed',
      monthlyCap: null,
      delayDays: DELAY,
    };
    expect(runOutIndex(flat(10), 95, plan, month)).toBe(Infinity);
  });

  it('a monthly cap of 100 allows one renewal per month', () => {
    // Aug: 95 → 30 at t = 6.5, +100 at 6.5 + 1/48. Next at the threshold t = 16.5 (Aug 31): cap used.
    // Sep 1 (t = 17) balance 25 ≤ 30 → renewal, +100 at 17 + 1/48 → 124.79…, threshold again at t = 26.5
    // (Sep 10): September's cap used → zero at t = 29.5 → day index 29 = 2025-09-13.
    const plan: RenewalPlan = {
      threshold: 30,
      amount: 100,
      mode: 'fixed',
      monthlyCap: 100,
      delayDays: DELAY,
    };
    const i = runOutIndex(flat(10), 95, plan, month);
    expect(i).toBe(29);
    expect(days[i]).toBe('2025-09-13');
  });

  it('runs out before the renewal settles when the threshold is below one delay of spend', () => {
    // 960/day = 20 per 30 min: from threshold 10 the balance is gone before the funds arrive.
    const plan: RenewalPlan = {
      threshold: 10,
      amount: 1000,
      mode: 'fixed',
      monthlyCap: null,
      delayDays: DELAY,
    };
    expect(runOutIndex(flat(960), 500, plan, month)).toBe(0);
    expect(runOutIndex(flat(960), 500, { ...plan, threshold: 30 }, month)).toBe(Infinity);
  });

  it('target mode tops up to the target', () => {
    // threshold 30, target 130 → each renewal adds 100 (like fixed 100 above).
    const plan: RenewalPlan = {
      threshold: 30,
      amount: 130,
      mode: 'target',
      monthlyCap: 100,
      delayDays: DELAY,
    };
    expect(runOutIndex(flat(10), 95, plan, month)).toBe(29);
  });
});

describe('runway forecast and recommendation', () => {
  const history = (n: number, f: (i: number, day: string) => number) =>
    Array.from({ length: n }, (_, i) => {
      const day = addDays(TODAY, i - n);
      return { day, amount: f(i, day) };
    });

  it('forecasts a constant series flat', () => {
    const fc = forecastDailySpend(
      history(60, () => 10),
      TODAY,
      14,
    );
    expect(fc.days[0]).toBe(TODAY);
    expect(fc.yearly).toBe(false);
    for (const m of fc.mean) expect(m).toBeCloseTo(10, 6);
  });

  it('uses monthly factors with a year of history', () => {
    // December spends double: factor Dec = 2 / mean(11·1 + 2)/12 = 2 / (13/12) = 24/13.
    const h = history(730, (_, day) => (day.slice(5, 7) === '12' ? 2 : 1));
    const f = monthlyFactors(h);
    expect(f?.[11]).toBeCloseTo(24 / 13, 6);
    expect(f?.[0]).toBeCloseTo(12 / 13, 6);
    const fc = forecastDailySpend(h, '2025-11-25', 14);
    expect(fc.yearly).toBe(true);
    expect(fc.mean[0]).toBeCloseTo(1, 1); // Nov 25
    expect(fc.mean[10]).toBeCloseTo(2, 1); // Dec 5
  });

  it('keeps weekly and yearly seasons together with a calibrated 80 % band', () => {
    // Two years: weekends at 40 %, December at double, noise ±10 % (seeded); the next 8 weeks from the same process.
    let seed = 7;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return 1 + 0.2 * (seed / 2147483648 - 0.5);
    };
    const level = (day: string) => {
      const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
      return 100 * (wd === 0 || wd === 6 ? 0.4 : 1) * (day.slice(5, 7) === '12' ? 2 : 1);
    };
    const start = '2025-11-20';
    const h = Array.from({ length: 730 }, (_, i) => addDays(start, i - 730)).map((day) => ({
      day,
      amount: level(day) * noise(),
    }));
    const fc = forecastDailySpend(h, start, 56);
    expect(fc.yearly).toBe(true);
    expect(fc.calibration).not.toBeNull();
    const future = fc.days.map((d) => level(d) * noise());
    const inside = future.filter((y, i) => y >= fc.lower80[i]! && y <= fc.upper80[i]!).length / future.length;
    expect(inside).toBeGreaterThan(0.65);
    // Noise is ±10 %: a calibrated band stays near that, not the width of the seasonal swings.
    for (let i = 0; i < 14; i++) expect(fc.upper80[i]! / fc.mean[i]!).toBeLessThan(1.3);
    // A December weekday forecast above a November weekday, a weekend below its weekdays.
    const at = (d: string) => fc.mean[fc.days.indexOf(d)]!;
    expect(at('2025-12-03')).toBeGreaterThan(1.6 * at('2025-11-26'));
    expect(at('2025-12-06')).toBeLessThan(0.6 * at('2025-12-03'));
  });

  it('recommends a month for stable usage and keeps amount > threshold', () => {
    // €2,000 a month flat (Hub example): amount ≈ 2,000, threshold ≈ 3 days ≈ 200.
    const daily = new Array<number>(120).fill(2000 / (365.25 / 12));
    const r = recommendRenewal(daily, new Array<number>(7).fill(daily[0] ?? 0), 30 * 60_000);
    expect(r?.usage).toBe('stable');
    expect(r?.amount).toBe('2000.00');
    expect(Number(r?.threshold)).toBeGreaterThan(197);
    expect(Number(r?.threshold)).toBeLessThan(200);
    expect(Number(r?.amount)).toBeGreaterThan(Number(r?.threshold));
  });

  it('recommends about 15 days for fluctuating usage', () => {
    const daily = Array.from({ length: 120 }, (_, i) => (Math.floor(i / 7) % 2 ? 40 : 0));
    const r = recommendRenewal(daily, [], 30 * 60_000);
    expect(r?.usage).toBe('fluctuating');
    // last 30 days: weeks alternate 40·7 / 0 → avg30 = (2·280 + 2·40)/30 or so; amount ≥ 15·avg30
    expect(Number(r?.amount)).toBeGreaterThan(Number(r?.threshold));
  });

  it('recommends nothing without spend', () => {
    expect(recommendRenewal(new Array<number>(60).fill(0), [], 0)).toBeNull();
  });
});
