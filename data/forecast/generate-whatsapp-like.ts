/**
 * A deterministic set of WhatsApp-like monthly usage series for the forecast benchmark: growth or decline, a
 * yearly season with Black-Friday (November) and December peaks and a January dip, noise, months without sends
 * (zeros), one-off campaign spikes (some in the last month before the forecast) and the per-message switch: months
 * before 2025-07 count conversations, later months messages (a number-specific messages-per-conversation ratio).
 * The held-out months are always messages. Same seed, same series.
 */
import { createPrng, type Prng } from '../../worker/forecast/prng.js';

export interface SyntheticSeries {
  readonly id: string;
  /** First month of `train`, 'YYYY-MM'. */
  readonly start: string;
  /** The history as a feed reports it: conversations before the switch, messages from it on. */
  readonly train: number[];
  /** The next `horizon` months, in messages. */
  readonly test: number[];
  /** Index in `train` of the first month counted in messages, or null when the history starts after the switch. */
  readonly switchIndex: number | null;
  /** The true messages-per-conversation ratio used to generate the months before the switch. */
  readonly ratio: number;
}

const SWITCH = 2025 * 12 + 6; // 2025-07 as months since year 0

function poisson(rng: Prng, lambda: number): number {
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = rng.uniform();
  while (p > l) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

/** Yearly profile (January first) with the November and December peaks of retail messaging. */
function yearlyProfile(rng: Prng): number[] {
  const amp = 0.3 + 1.2 * rng.uniform();
  const base = [
    -0.15,
    -0.08,
    0,
    0.02,
    0.05,
    0,
    -0.03,
    rng.uniform() < 0.3 ? -0.2 : -0.05,
    0.02,
    0.08,
    0.55,
    0.4,
  ];
  return base.map((b) => Math.exp(amp * b + 0.03 * rng.normal()));
}

export function generateWhatsAppLike(opts: {
  count: number;
  seed: number;
  horizon: number;
}): SyntheticSeries[] {
  const rng = createPrng(opts.seed);
  const out: SyntheticSeries[] = [];
  for (let i = 0; i < opts.count; i++) {
    // The forecast origin falls in any month of late 2026 / 2027 so test windows cover every season.
    const origin = 2026 * 12 + Math.floor(rng.uniform() * 14);
    const length = 24 + Math.floor(rng.uniform() * 37);
    const first = origin - length;
    const small = rng.uniform() < 0.2;
    const level = small ? 2 + 25 * rng.uniform() : Math.exp(5 + 6 * rng.uniform());
    const growth = 0.012 * rng.normal() + 0.008;
    const noise = 0.04 + 0.14 * rng.uniform();
    const profile = yearlyProfile(rng);
    const ratio = 1.3 + 1.7 * rng.uniform();
    const outages = rng.uniform() < 0.1;
    const spikeRate = rng.uniform() < 0.4 ? 0.04 : 0;
    const lastSpike = rng.uniform() < 0.06;
    const values: number[] = [];
    for (let t = 0; t < length + opts.horizon; t++) {
      const month = first + t;
      let mu = level * Math.exp(growth * t) * profile[month % 12]! * Math.exp(noise * rng.normal());
      if ((spikeRate > 0 && rng.uniform() < spikeRate) || (lastSpike && t === length - 1))
        mu *= 2 + 4 * rng.uniform();
      if (outages && rng.uniform() < 0.06) mu = 0;
      let v = poisson(rng, mu);
      if (month < SWITCH && t < length) v = Math.round(v / ratio);
      values.push(v);
    }
    const s = SWITCH - first;
    const y = Math.floor(first / 12);
    out.push({
      id: `W${String(i + 1).padStart(4, '0')}`,
      start: `${y}-${String((first % 12) + 1).padStart(2, '0')}`,
      train: values.slice(0, length),
      test: values.slice(length),
      switchIndex: s > 0 ? s : null,
      ratio,
    });
  }
  return out;
}
