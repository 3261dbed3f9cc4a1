/**
 * The deterministic demo-data generator: billing-unit records (DOMAIN.md §9.2) for the demo WABAs, day by day,
 * with trend, weekly and yearly seasonality, holiday peaks, free entry points, CBP conversations before each
 * WABA's PMP date and PMP messages after it, plus a few exact duplicates and late corrections (a delivered unit
 * later reported read, a failed one later delivered) emitted some days after the original record.
 */
import { UNIT_COLUMNS, type UnitColumn } from '../../worker/ingest/unit-columns.js';
import { DEMO_WABAS, type DemoNumber, type DemoWaba } from './demo-profile.js';
import { REGIME_FROM } from '../../worker/kernel/regime-calendar.js';
import { localToUtc } from './local-time.js';
import { Prng } from './prng.js';

/** The §9.2 columns the demo records fill, in the catalogue's order (no cost, tier or ingested_at). */
type DemoColumn = Exclude<UnitColumn, 'cost' | 'tier' | 'ingested_at'>;
const UNFILLED: readonly UnitColumn[] = ['cost', 'tier', 'ingested_at'];
export const DEMO_COLUMNS = UNIT_COLUMNS.filter((c): c is DemoColumn => !UNFILLED.includes(c));

export interface GenerateOptions {
  readonly seed?: number;
  /** First and last local day, 'YYYY-MM-DD'. */
  readonly from?: string;
  readonly to?: string;
  /** The service's clock: nothing opened or received after it is emitted (the demo runs up to "now"). */
  readonly until?: Date;
  /** Approximate number of records wanted (scales every number's volume); default about 150k. */
  readonly units?: number;
  readonly duplicateRate?: number;
  readonly lateRate?: number;
  readonly wabas?: readonly DemoWaba[];
}

/** One emitted record, with the UTC day index it is "received" on (for batching by period). */
export interface GeneratedRecord {
  readonly day: number;
  readonly row: string[];
}

const DAY = 86_400_000;
const CATEGORIES = ['marketing', 'utility', 'authentication', 'service'] as const;
const TEMPLATES: Record<string, readonly string[]> = {
  marketing: ['weekly_deals', 'back_in_stock', 'seasonal_sale'],
  utility: ['order_confirmed', 'shipping_update', 'delivery_window'],
  authentication: ['login_code', 'verify_phone'],
};
// Local-hour weights: quiet nights, busy late mornings and evenings.
const HOURS = [1, 0.5, 0.3, 0.3, 0.4, 0.8, 1.5, 3, 5, 7, 8, 8, 7.5, 7, 7, 7, 7.5, 8, 8.5, 8, 6.5, 4.5, 3, 2];

const dayMs = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTs = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** How busy a number is on a local day, before Poisson noise. */
function dayMean(w: DemoWaba, n: DemoNumber, day: number, start: number): number {
  const d = new Date(day);
  const years = (day - start) / (365.25 * DAY);
  let f = n.perDay * (1 + 0.28 * years);
  const doy = (day - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY;
  f *= 1 + 0.12 * Math.cos((2 * Math.PI * (doy - 350)) / 365);
  const dow = d.getUTCDay();
  if (dow === 6) f *= w.weekend[0];
  if (dow === 0) f *= w.weekend[1];
  for (const [centre, half, factor] of w.holidays) {
    const dist = Math.abs(day - dayMs(centre)) / DAY;
    if (dist <= half) f *= 1 + (factor - 1) * (1 - dist / (half + 1));
  }
  if (isoDay(day) >= w.pmpFrom) f *= 1.6; // messages, not conversations, after the switch
  return f;
}

/** Yields records in (roughly) time order; deterministic for a given seed and options. */
export function* generateUnits(opts: GenerateOptions = {}): Generator<GeneratedRecord> {
  const rng = new Prng(opts.seed ?? 20260101);
  const wabas = opts.wabas ?? DEMO_WABAS;
  const start = dayMs(opts.from ?? '2023-07-01');
  const until = opts.until?.getTime() ?? Infinity;
  const end = Math.min(dayMs(opts.to ?? '2026-11-23'), Math.floor(until / DAY) * DAY);
  const dupRate = opts.duplicateRate ?? 0.005;
  const lateRate = opts.lateRate ?? 0.004;
  let expected = 0;
  for (let day = start; day <= end; day += DAY)
    for (const w of wabas) for (const n of w.numbers) expected += dayMean(w, n, day, start);
  const scale = (opts.units ?? 150_000) / expected / (1 + dupRate + lateRate);
  const replays = new Map<number, string[][]>();
  const later = (day: number, row: string[]) => {
    const list = replays.get(day) ?? [];
    list.push(row);
    replays.set(day, list);
  };

  for (let day = start; day <= end; day += DAY) {
    for (const w of wabas) {
      const pmp = isoDay(day) >= w.pmpFrom;
      // R5: service and utility in the window are charged again; the service derives the free allowance.
      const r5 = pmp && isoDay(day) >= REGIME_FROM.R5;
      const countryWeights = w.countries.map((c) => c.weight);
      for (const n of w.numbers) {
        const count = rng.poisson(dayMean(w, n, day, start) * scale);
        for (let i = 0; i < count; i++) {
          const cat = CATEGORIES[rng.weighted(n.mix)] ?? 'service';
          const country = w.countries[rng.weighted(countryWeights)] ?? w.countries[0]!;
          const seconds = rng.weighted(HOURS) * 3600 + rng.int(3600);
          const opened = localToUtc(w.timezone, day, seconds);
          const market =
            country.marketFrom && isoDay(day) >= country.marketFrom[0]
              ? country.marketFrom[1]
              : country.market;
          const fep = cat !== 'authentication' && rng.next() < (pmp ? 0.04 : 0.03);
          const template = cat !== 'service' || fep;
          let category: string = cat;
          let pricingType = '';
          let inCsw = '';
          if (pmp) {
            const csw = cat === 'utility' && rng.next() < 0.35;
            inCsw = csw ? 'true' : 'false';
            pricingType = fep
              ? 'free_entry_point'
              : r5
                ? ''
                : cat === 'service' || csw
                  ? 'free_customer_service'
                  : 'regular';
          } else if (fep) {
            category = 'referral_conversion';
            pricingType = 'free_entry_point';
          }
          const r = rng.next();
          let status = r < 0.02 ? 'failed' : r < 0.4 ? 'delivered' : 'read';
          const isLate = rng.next() < lateRate;
          if (isLate) status = rng.next() < 0.25 ? 'failed' : 'delivered';
          const names = TEMPLATES[cat];
          const row = [
            pmp ? `wamid.HBgL${rng.hex(28)}` : rng.hex(32),
            pmp ? 'PMP' : 'CBP',
            pmp ? 'message' : 'conversation',
            w.id,
            w.timezone,
            w.currency,
            n.id,
            n.display,
            country.code + rng.digits(country.digits),
            country.iso,
            market,
            category,
            pricingType,
            cat === 'service' && !fep ? 'user_initiated' : 'business_initiated',
            String(!fep || pmp ? pricingType !== 'free_entry_point' : false),
            isoTs(opened),
            pmp ? '' : isoTs(opened + (fep ? 72 : 24) * 3600_000),
            template && names ? (names[rng.int(names.length)] ?? '') : '',
            String(template),
            inCsw,
            String(fep),
            status,
            w.rates?.[cat] ?? '',
            'synthetic',
          ];
          if (opened > until) continue;
          yield { day, row };
          if (isLate) {
            // The correction arrives 2–8 days later: delivered after all, or read.
            const fixed = [...row];
            fixed[21] = status === 'failed' ? 'delivered' : 'read';
            later(day + (2 + rng.int(7)) * DAY, fixed);
          } else if (rng.next() < dupRate) later(day + rng.int(4) * DAY, row);
        }
      }
    }
    for (const row of replays.get(day) ?? []) yield { day, row };
    replays.delete(day);
  }
  // Replays due after the clock have not arrived yet.
  for (const [day, rows] of [...replays.entries()].sort((a, b) => a[0] - b[0]))
    if (day <= until) for (const row of rows) yield { day, row };
}
