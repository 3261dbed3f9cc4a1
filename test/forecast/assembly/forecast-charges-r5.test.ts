import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { seedUnits, series, type UnitSeed } from '../../usage/seed-units.js';

// Today is 2026-08-20 (Los Angeles). From 2026-10-01 (R5) service messages are charged beyond 1,000 per number
// and month. Number A sent 1,300 free service messages every month of 2026 so far and 20 marketing templates;
// number B 500 service messages. No charged service message exists in any history: the charges forecast has to
// apply the rule, as no model could learn it from the charges.
const card = JSON.parse(
  readFileSync(new URL('../../../data/rate-cards/usd-pmp-2026-10-01.json', import.meta.url), 'utf8'),
) as { rates: { market: string; category: string; rate: string }[] };
const SERVICE_RATE = Number(
  card.rates.find((r) => r.market === 'North America' && r.category === 'service')!.rate,
);
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'];

let h: Harness;
let key: string;

beforeAll(async () => {
  h = await createHarness({ now: '2026-08-20T18:00:00Z' });
  key = await h.partner('acme');
  await h.waba(key, { waba_id: 'W', timezone: 'America/Los_Angeles' }, ['A', 'B']);
  const svc = { waba_id: 'W', pricing_model: 'PMP' as const, category: 'service', is_template: false };
  const units: UnitSeed[] = MONTHS.flatMap((m) => [
    ...series(1300, `${m}-03T16:00:00Z`, { ...svc, phone_number_id: 'A' }, `a-svc-${m}`),
    ...series(500, `${m}-05T16:00:00Z`, { ...svc, phone_number_id: 'B' }, `b-svc-${m}`),
    ...series(
      20,
      `${m}-10T16:00:00Z`,
      { waba_id: 'W', phone_number_id: 'A', pricing_model: 'PMP', category: 'marketing', is_template: true },
      `a-mkt-${m}`,
    ),
  ]);
  await seedUnits(h, key, units);
}, 120_000);
afterAll(() => h.close());

type Point = { period: string; mean: string; allowance_charges: string; lower_80: string; upper_80: string };

describe('charges forecast: the R5 rule change is applied, not learned', () => {
  it('has no charged service in the history', async () => {
    const r = await h.json('GET', '/v1/usage?phone_number_id=A&group_by=category&from=2026-01&to=2026-07', {
      token: key,
    });
    expect(r.status).toBe(200);
    const service = (r.body.rows as { category: string; paid: number }[]).filter(
      (x) => x.category === 'service',
    );
    expect(service.length).toBeGreaterThan(0);
    expect(service.every((x) => x.paid === 0)).toBe(true);
  });

  it('forecasts service charges for the units beyond the allowance from October on', async () => {
    const r = await h.json('GET', '/v1/forecasts/charges?phone_number_id=A&horizon=4', { token: key });
    expect(r.status).toBe(200);
    const f = r.body.forecast as Point[];
    expect(f.map((p) => p.period)).toEqual(['2026-08', '2026-09', '2026-10', '2026-11']);
    expect(f[0]!.allowance_charges).toBe('0.000000');
    expect(f[1]!.allowance_charges).toBe('0.000000');
    // 1,300 − 1,000 = 300 charged service messages at the card's service rate.
    for (const p of f.slice(2)) {
      expect(Number(p.allowance_charges)).toBeCloseTo(300 * SERVICE_RATE, 2);
      expect(Number(p.mean)).toBeGreaterThan(Number(f[1]!.mean) + 0.9 * 300 * SERVICE_RATE);
      expect(Number(p.lower_80)).toBeLessThanOrEqual(Number(p.mean));
      expect(Number(p.upper_80)).toBeGreaterThanOrEqual(Number(p.mean));
    }
    expect(r.body.rule_change).toMatchObject({
      regime: 'R5',
      from: '2026-10',
      free_units_per_number_and_month: 1000,
      first_forecast_period_charged: '2026-10',
    });
  });

  it('applies the allowance per number: B stays under it, the WABA pays only for A', async () => {
    const b = await h.json('GET', '/v1/forecasts/charges?phone_number_id=B&horizon=4', { token: key });
    expect((b.body.forecast as Point[]).map((p) => p.allowance_charges)).toEqual(
      new Array(4).fill('0.000000'),
    );
    const w = await h.json('GET', '/v1/forecasts/charges?waba_id=W&horizon=4', { token: key });
    const a = await h.json('GET', '/v1/forecasts/charges?phone_number_id=A&horizon=4', { token: key });
    const wf = w.body.forecast as Point[];
    const af = a.body.forecast as Point[];
    // Pooled, 1,800 − 1,000 = 800 would be charged; per number only A's 300.
    expect(Number(wf[2]!.allowance_charges)).toBeGreaterThan(0);
    wf.forEach((p, i) => expect(p.allowance_charges).toBe(af[i]!.allowance_charges));
  });
});
