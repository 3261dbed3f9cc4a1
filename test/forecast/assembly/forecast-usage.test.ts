import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMicros } from '../../../worker/kernel/money.js';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { insertUnits, type TestUnit } from '../../pricing/insert-units.js';

// Today is 2026-11-24: complete history is 2025-07..2026-10 (16 PMP months); November is partial and excluded,
// and the CBP conversations of 2025-05 are a different unit, so they are left out too.
let h: Harness;
let key: string;
const MONTHS = Array.from({ length: 16 }, (_, k) => {
  const i = 2025 * 12 + 6 + k;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
});
const countA = (k: number) => 10 + k; // paid marketing messages of number A in month k
const countB = (k: number) => 5 + (k % 3);

function month(phone: string, period: string, n: number, extra: Partial<TestUnit> = {}): TestUnit[] {
  return Array.from({ length: n }, (_, i) => ({
    unit_id: `${phone}-${period}-${extra.category ?? 'marketing'}-${i}`,
    waba_id: 'W',
    phone_number_id: phone,
    recipient: '+436641234567',
    category: 'marketing',
    pricing_model: 'PMP',
    is_template: true,
    opened_at: `${period}-10T10:${String(i % 60).padStart(2, '0')}:00Z`,
    ...extra,
  }));
}

beforeAll(async () => {
  h = await createHarness({ now: '2026-11-24T12:00:00Z' });
  key = await h.partner('acme');
  await h.waba(key, { waba_id: 'W', timezone: 'Europe/Vienna' }, ['A', 'B']);
  const units: TestUnit[] = [
    ...month('A', '2025-05', 40, { pricing_model: 'CBP', category: 'marketing' }),
    ...MONTHS.flatMap((p, k) => [
      ...month('A', p, countA(k)),
      ...month('A', p, 3, { category: 'service', is_template: false }),
      ...month('B', p, countB(k)),
    ]),
    ...month('A', '2026-11', 500),
  ];
  await insertUnits(h.db, units);
});
afterAll(() => h.close());

const get = (path: string, token = key) => h.json('GET', path, { token });

describe('GET /v1/forecasts/usage', () => {
  it('answers history, forecast with intervals, backtest and the estimate label for a number', async () => {
    const r = await get('/v1/forecasts/usage?phone_number_id=A&horizon=6&level=80,95');
    expect(r.status).toBe(200);
    const b = r.body;
    expect(b).toMatchObject({
      scope: { waba_id: 'W', phone_number_id: 'A', phone_number_ids: ['A'] },
      horizon: 6,
      levels: [80, 95],
      unit: 'message',
      measure: 'all',
      estimate: true,
    });
    expect(typeof b.method).toBe('string');
    expect(b.history).toEqual(MONTHS.map((period, k) => ({ period, value: countA(k) + 3 })));
    expect(b.forecast.map((f: { period: string }) => f.period)).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
    ]);
    for (const f of b.forecast) {
      expect(Object.keys(f).sort()).toEqual([
        'lower_80',
        'lower_95',
        'mean',
        'period',
        'upper_80',
        'upper_95',
      ]);
      expect(f.lower_95).toBeLessThanOrEqual(f.lower_80);
      expect(f.lower_80).toBeLessThanOrEqual(f.mean);
      expect(f.upper_80).toBeGreaterThanOrEqual(f.mean);
      expect(f.upper_95).toBeGreaterThanOrEqual(f.upper_80);
    }
    expect(Number.isFinite(b.backtest.mase)).toBe(true);
    expect(Number.isFinite(b.backtest.smape)).toBe(true);
    expect(b.history_note).toMatch(/2026-11 is excluded/);
  });

  it('takes measure=paid|free and one level', async () => {
    const paid = await get('/v1/forecasts/usage?phone_number_id=A&measure=paid&level=90&horizon=2');
    expect(paid.body.history.at(-1)).toEqual({ period: '2026-10', value: countA(15) });
    expect(Object.keys(paid.body.forecast[0]).sort()).toEqual(['lower_90', 'mean', 'period', 'upper_90']);
    const free = await get('/v1/forecasts/usage?phone_number_id=A&measure=free&horizon=2');
    expect(free.body.history.every((x: { value: number }) => x.value === 3)).toBe(true);
  });

  it('reconciles: the per-number forecasts add up to the WABA forecast', async () => {
    const [w, a, b] = await Promise.all([
      get('/v1/forecasts/usage?waba_id=W&horizon=12'),
      get('/v1/forecasts/usage?phone_number_id=A&horizon=12'),
      get('/v1/forecasts/usage?phone_number_id=B&horizon=12'),
    ]);
    expect(w.status).toBe(200);
    expect(w.body.scope.phone_number_ids).toEqual(['A', 'B']);
    expect(w.body.history).toEqual(MONTHS.map((period, k) => ({ period, value: countA(k) + 3 + countB(k) })));
    w.body.forecast.forEach((f: { mean: number }, i: number) => {
      expect(f.mean).toBeCloseTo(a.body.forecast[i].mean + b.body.forecast[i].mean, 6);
    });
    expect(w.body.reconciliation.approach).toBe('bottom_up');
    expect(w.body.reconciliation.numbers.map((n: { phone_number_id: string }) => n.phone_number_id)).toEqual([
      'A',
      'B',
    ]);
  });

  it('validates horizon and level, and needs a scope', async () => {
    expect((await get('/v1/forecasts/usage?waba_id=W&horizon=0')).status).toBe(400);
    expect((await get('/v1/forecasts/usage?waba_id=W&horizon=25')).status).toBe(400);
    expect((await get('/v1/forecasts/usage?waba_id=W&level=120')).status).toBe(400);
    expect((await get('/v1/forecasts/usage')).status).toBe(400);
  });
});

describe('GET /v1/forecasts/charges', () => {
  it('answers charges history as decimal strings and forecast = paid units × the latest effective rate', async () => {
    const r = await get('/v1/forecasts/charges?phone_number_id=A&horizon=3');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ currency: 'USD', estimate: true, horizon: 3 });
    // October 2026: 25 marketing messages to Austria × 0.0592 = 1.48.
    expect(r.body.history.at(-1)).toEqual({ period: '2026-10', value: '1.480000' });
    expect(r.body.history[0]).toEqual({ period: '2025-07', value: '0.592000' });
    expect(r.body.rate).toEqual({
      per_paid_unit: '0.059200',
      basis_month: '2026-10',
      currency: 'USD',
      by_period: [
        { period: '2026-11', per_paid_unit: '0.059200' },
        { period: '2026-12', per_paid_unit: '0.059200' },
        { period: '2027-01', per_paid_unit: '0.059200' },
      ],
    });
    const paid = await get('/v1/forecasts/usage?phone_number_id=A&measure=paid&horizon=3');
    r.body.forecast.forEach((f: Record<string, string>, i: number) => {
      expect(f.mean).toMatch(/^\d+\.\d{6}$/);
      // The usage answer rounds to 2 decimals: within 0.005 × 0.0592.
      expect(Number(f.mean)).toBeCloseTo(paid.body.forecast[i].mean * 0.0592, 3);
      expect(Number(f.lower_95)).toBeLessThanOrEqual(Number(f.mean));
      expect(Number(f.upper_95)).toBeGreaterThanOrEqual(Number(f.mean));
    });
  });

  it('reconciles exactly: WABA mean = Σ number means in micro-units', async () => {
    const w = await get('/v1/forecasts/charges?waba_id=W&horizon=6');
    const nums = w.body.reconciliation.numbers as { mean: string[] }[];
    w.body.forecast.forEach((f: { mean: string }, i: number) => {
      expect(toMicros(f.mean)).toBe(nums.reduce((s, n) => s + toMicros(n.mean[i]!), 0n));
    });
    const a = await get('/v1/forecasts/charges?phone_number_id=A&horizon=6');
    expect(nums[0]!.mean).toEqual(a.body.forecast.map((f: { mean: string }) => f.mean));
  });
});

describe('isolation', () => {
  it('hides other partners’ WABAs and numbers, and needs read-usage', async () => {
    const other = await h.partner('rival');
    expect((await get('/v1/forecasts/usage?waba_id=W', other)).status).toBe(404);
    expect((await get('/v1/forecasts/charges?phone_number_id=A', other)).status).toBe(404);
    const t = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['B'], scopes: ['read-balance'] },
    });
    expect(t.status).toBe(201);
    expect((await get('/v1/forecasts/usage?phone_number_id=B', t.body.token)).status).toBe(403);
    const u = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['B'], scopes: ['read-usage'] },
    });
    expect((await get('/v1/forecasts/usage?phone_number_id=A', u.body.token)).status).toBe(404);
    // A WABA forecast through a token for B covers B only.
    const wb = await get('/v1/forecasts/usage?waba_id=W', u.body.token);
    expect(wb.status).toBe(200);
    expect(wb.body.scope.phone_number_ids).toEqual(['B']);
  });
});

describe('charges forecast across a card change', () => {
  it('re-prices the basis month mix at the INR card that takes effect on 2026-01-01', async () => {
    const hh = await createHarness({ now: '2025-12-10T12:00:00Z' });
    try {
      const k = await hh.partner('in');
      await hh.waba(k, { waba_id: 'WI', timezone: 'Asia/Kolkata', currency: 'INR' }, ['I']);
      const units: TestUnit[] = ['2025-09', '2025-10', '2025-11'].flatMap((p) =>
        Array.from({ length: 10 }, (_, i) => ({
          unit_id: `i-${p}-${i}`,
          waba_id: 'WI',
          phone_number_id: 'I',
          recipient: '+919812345678',
          category: 'marketing',
          pricing_model: 'PMP' as const,
          is_template: true,
          opened_at: `${p}-15T06:0${i}:00Z`,
        })),
      );
      await insertUnits(hh.db, units);
      const r = await hh.json('GET', '/v1/forecasts/charges?phone_number_id=I&horizon=2', { token: k });
      expect(r.status).toBe(200);
      // 10 marketing messages a month at ₹0.7846 = 7.846; from January ₹0.8631 (inr-pmp-2026-01-01).
      expect(r.body.history.at(-1)).toEqual({ period: '2025-11', value: '7.846000' });
      expect(r.body.rate.by_period).toEqual([
        { period: '2025-12', per_paid_unit: '0.784600' },
        { period: '2026-01', per_paid_unit: '0.863100' },
      ]);
      const paid = await hh.json('GET', '/v1/forecasts/usage?phone_number_id=I&measure=paid&horizon=2', {
        token: k,
      });
      expect(Number(r.body.forecast[0].mean)).toBeCloseTo(paid.body.forecast[0].mean * 0.7846, 3);
      expect(Number(r.body.forecast[1].mean)).toBeCloseTo(paid.body.forecast[1].mean * 0.8631, 3);
    } finally {
      await hh.close();
    }
  });
});
