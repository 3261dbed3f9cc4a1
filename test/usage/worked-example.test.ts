import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits, series } from './seed-units.js';

// DOMAIN.md §9.6, CBP R2, June 2023, WABA in America/Los_Angeles, rates from the records (§3.2 North America).
describe('usage and charges: the §9.6 CBP R2 worked example', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await createHarness({ now: '2023-07-10T12:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['A', 'B']);
    const a = { waba_id: 'W1', phone_number_id: 'A' };
    const b = { waba_id: 'W1', phone_number_id: 'B' };
    await seedUnits(h, key, [
      // A's 700 service conversations all open before any of B's.
      ...series(700, '2023-06-01T08:00:00Z', { ...a, category: 'service', rate_in: '0.0088' }, 'a-svc'),
      ...series(300, '2023-06-05T08:00:00Z', { ...a, category: 'marketing', rate_in: '0.0250' }, 'a-mkt'),
      ...series(500, '2023-06-10T08:00:00Z', { ...b, category: 'service', rate_in: '0.0088' }, 'b-svc'),
      ...series(100, '2023-06-12T08:00:00Z', { ...b, category: 'utility', rate_in: '0.0150' }, 'b-utl'),
      ...series(
        50,
        '2023-06-13T08:00:00Z',
        { ...b, category: 'referral_conversion', billable_reported: false },
        'b-fep',
      ),
    ]);
  });
  afterAll(() => h.close());

  it('answers A = 1000/700/300 and B = 650/350/300', async () => {
    const r = await h.json('GET', '/v1/usage?waba_id=W1&from=2023-06&to=2023-06&group_by=phone_number_id', {
      token: key,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      granularity: 'month',
      from: '2023-06',
      to: '2023-06',
      group_by: ['phone_number_id'],
      data_through: expect.stringMatching(/^2023-06-\d\dT/),
      rows: [
        { period: '2023-06', phone_number_id: 'A', unit: 'conversation', all: 1000, free: 700, paid: 300 },
        { period: '2023-06', phone_number_id: 'B', unit: 'conversation', all: 650, free: 350, paid: 300 },
      ],
    });
  });

  it('answers charges A 7.50 and B 3.26 (200 × 0.0088 + 100 × 0.0150), labelled as an estimate', async () => {
    const r = await h.json('GET', '/v1/charges?waba_id=W1&from=2023-06&to=2023-06&group_by=phone_number_id', {
      token: key,
    });
    expect(r.status).toBe(200);
    expect(r.body.estimate).toBe(true);
    expect(r.body.as_of).toBe('2023-07-10T12:00:00.000Z');
    expect(r.body.note).toMatch(/invoice is authoritative/);
    expect(r.body.rows).toEqual([
      {
        period: '2023-06',
        phone_number_id: 'A',
        unit: 'conversation',
        currency: 'USD',
        paid: 300,
        amount: '7.500000',
      },
      {
        period: '2023-06',
        phone_number_id: 'B',
        unit: 'conversation',
        currency: 'USD',
        paid: 300,
        amount: '3.260000',
      },
    ]);
  });

  it('splits B by pricing type: 300 free tier, 50 free entry point, 300 regular', async () => {
    const r = await h.json(
      'GET',
      '/v1/usage?phone_number_id=B&from=2023-06&to=2023-06&group_by=category,pricing_type',
      { token: key },
    );
    expect(
      r.body.rows.map((x: Record<string, unknown>) => [x.category, x.pricing_type, x.all, x.free, x.paid]),
    ).toEqual([
      ['referral_conversion', 'free_entry_point', 50, 50, 0],
      ['service', 'free_tier', 300, 300, 0],
      ['service', 'regular', 200, 0, 200],
      ['utility', 'regular', 100, 0, 100],
    ]);
  });

  it('sums the WABA: 1650 / 1050 / 600 and 10.76', async () => {
    const u = await h.json('GET', '/v1/usage?waba_id=W1&from=2023-06&to=2023-06', { token: key });
    expect(u.body.rows).toEqual([
      { period: '2023-06', unit: 'conversation', all: 1650, free: 1050, paid: 600 },
    ]);
    const c = await h.json('GET', '/v1/charges?waba_id=W1&from=2023-06&to=2023-06', { token: key });
    expect(c.body.rows).toEqual([
      { period: '2023-06', unit: 'conversation', currency: 'USD', paid: 600, amount: '10.760000' },
    ]);
  });
});
