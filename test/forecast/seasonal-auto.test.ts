import { describe, expect, it } from 'vitest';
import { generateWhatsAppLike } from '../../data/forecast/generate-whatsapp-like.js';
import { dampLastSpike } from '../../worker/forecast/damp-last-spike.js';
import { detectSeason } from '../../worker/forecast/detect-season.js';
import { fQuantile } from '../../worker/forecast/f-quantile.js';
import { forecastSeries } from '../../worker/forecast/forecast-series.js';
import { createPrng } from '../../worker/forecast/prng.js';
import { convertBeforeSwitch, learnSwitchRatio } from '../../worker/forecast/switch-ratio.js';

/** Two years of retail-like months (January first): flat, with November and December peaks, ±5 % noise. */
function retailMonths(years: number, seed: number, zeroAt = -1): number[] {
  const rng = createPrng(seed);
  const peak = [1, 0.95, 1, 1, 1.05, 1, 0.95, 0.9, 1, 1.1, 2.2, 1.8];
  return Array.from({ length: 12 * years }, (_, t) =>
    t === zeroAt ? 0 : Math.round(1000 * peak[t % 12]! * (1 + 0.05 * rng.normal())),
  );
}

describe('worker/forecast auto: seasons kept', () => {
  it('forecasts 100 + 2i + 20·sin(2πi/12) (48 months) within 2 % at every step of 12', () => {
    const f = (i: number) => 100 + 2 * i + 20 * Math.sin((2 * Math.PI * i) / 12);
    const y = Array.from({ length: 48 }, (_, i) => f(i));
    const r = forecastSeries(y, { horizon: 12, seasonLength: 12 });
    r.mean.forEach((m, h) => expect(Math.abs(m / f(48 + h) - 1)).toBeLessThan(0.02));
  });

  it('finds the season in two years of data, where the autocorrelation test cannot', () => {
    const y = retailMonths(2, 7);
    expect(detectSeason(y, 12)).toEqual({ seasonal: true, multiplicative: true });
    const rng = createPrng(3);
    const noise = Array.from({ length: 24 }, () => 1000 + 50 * rng.normal());
    expect(detectSeason(noise, 12).seasonal).toBe(false);
  });

  it('forecasts the November and December peaks from two years of history', () => {
    const r = forecastSeries(retailMonths(2, 11), { horizon: 12, seasonLength: 12 });
    expect(r.method).toMatch(/seasonal/);
    expect(r.mean[10]!).toBeGreaterThan(1.7 * r.mean[8]!);
    expect(r.mean[11]!).toBeGreaterThan(1.4 * r.mean[8]!);
  });

  it('keeps the season when the history has a zero month (additive adjustment)', () => {
    const y = retailMonths(3, 5, 20);
    expect(detectSeason(y, 12)).toEqual({ seasonal: true, multiplicative: false });
    const r = forecastSeries(y, { horizon: 12, seasonLength: 12 });
    expect(r.method).toMatch(/seasonal-additive|ETS\(A,[A-Za-z]+,A\)/);
    expect(r.mean[10]!).toBeGreaterThan(1.6 * r.mean[8]!);
  });

  it('damps a one-off spike in the last month instead of extrapolating it', () => {
    const rng = createPrng(9);
    const y = Array.from({ length: 30 }, () => Math.round(3000 + 150 * rng.normal()));
    y[29] = 21000;
    const damped = dampLastSpike(y, 12, { seasonal: false, multiplicative: true });
    expect(damped[29]!).toBeLessThan(4000);
    expect(damped.slice(0, 29)).toEqual(y.slice(0, 29));
    const r = forecastSeries(y, { horizon: 6, seasonLength: 12 });
    for (const m of r.mean) expect(m).toBeLessThan(4500);
  });

  it("approximates Fisher's F quantiles", () => {
    expect(fQuantile(0.9, 11, 10)).toBeCloseTo(2.3, 1);
    expect(fQuantile(0.95, 11, 10)).toBeCloseTo(2.94, 1);
  });
});

describe('worker/forecast/switch-ratio', () => {
  it('learns the messages-per-conversation ratio at the switch, with its standard error', () => {
    const rng = createPrng(21);
    const peak = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2, 1.9, 1.6];
    const messages = Array.from(
      { length: 36 },
      (_, t) => 800 * (1 + 0.01 * t) * peak[t % 12]! * (1 + 0.04 * rng.normal()),
    );
    const fed = messages.map((v, t) => (t < 24 ? v / 2.4 : v));
    const r = learnSwitchRatio(fed, 24, 12)!;
    expect(r.ratio).toBeGreaterThan(2.2);
    expect(r.ratio).toBeLessThan(2.6);
    expect(r.logSe).toBeGreaterThan(0);
    expect(r.logSe).toBeLessThan(0.1);
    const converted = convertBeforeSwitch(fed, 24, r.ratio);
    expect(converted[10]! / messages[10]!).toBeCloseTo(r.ratio / 2.4, 6);
    expect(learnSwitchRatio(fed.slice(0, 25), 24, 12)).toBeNull();
  });

  it('generates the same WhatsApp-like series for the same seed', () => {
    const a = generateWhatsAppLike({ count: 20, seed: 1, horizon: 6 });
    expect(generateWhatsAppLike({ count: 20, seed: 1, horizon: 6 })).toEqual(a);
    expect(a.some((s) => s.switchIndex !== null)).toBe(true);
    expect(a.every((s) => s.test.length === 6 && s.train.length >= 24)).toBe(true);
  });
});
