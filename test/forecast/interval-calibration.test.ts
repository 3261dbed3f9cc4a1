import { describe, expect, it } from 'vitest';
import { forecastSeries } from '../../worker/forecast/forecast-series.js';
import { createPrng } from '../../worker/forecast/prng.js';

// A mild yearly season (November and December peaks) under 8 % noise, two years of history: the season test
// finds the season, while ETS on its own often chooses no season and would read the season as noise.
const PEAK = [0.9, 0.9, 1, 1, 1, 1, 0.9, 0.9, 1, 1.1, 1.5, 1.4];

function coverage(seeds: number): { c80: number; c95: number; etsWithoutSeason: number } {
  let c80 = 0;
  let c95 = 0;
  let points = 0;
  let etsWithoutSeason = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const rng = createPrng(seed);
    const y = Array.from({ length: 36 }, (_, t) => 1000 * PEAK[t % 12]! * (1 + 0.08 * rng.normal()));
    const f = forecastSeries(y.slice(0, 24), { horizon: 12, seasonLength: 12, levels: [80, 95] });
    if (/seasonal:.*ETS\(.,.,N\)/.test(f.method)) etsWithoutSeason++;
    y.slice(24).forEach((v, h) => {
      if (v >= f.intervals[0]!.lower[h]! && v <= f.intervals[0]!.upper[h]!) c80++;
      if (v >= f.intervals[1]!.lower[h]! && v <= f.intervals[1]!.upper[h]!) c95++;
      points++;
    });
  }
  return { c80: (100 * c80) / points, c95: (100 * c95) / points, etsWithoutSeason };
}

describe('worker/forecast intervals of a seasonal combination', () => {
  it('measure the noise around the season, not the season itself, when ETS chose no season', () => {
    const r = coverage(60);
    // The case this is about: most of these series.
    expect(r.etsWithoutSeason).toBeGreaterThan(30);
    // With the season counted as noise every fresh month fell inside the 80 % band (100 %).
    expect(r.c80).toBeGreaterThan(70);
    expect(r.c80).toBeLessThan(93);
    expect(r.c95).toBeGreaterThan(88);
  });
});
