import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';
import { seedPricingData } from '../../worker/pricing/seed-pricing-data.js';
import { insertUnits, series } from './insert-units.js';

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-24T12:00:00Z' });
  key = await h.partner('acme');
});
afterAll(() => h.close());

const EUR_CARD = {
  card_id: 'eur-pmp-test',
  effective_from: '2025-07-01',
  currency: 'EUR',
  pricing_model: 'PMP',
  rates: [
    { market: 'Germany', category: 'marketing', rate: '0.10' },
    {
      market: 'Germany',
      category: 'utility',
      tiers: [
        { lower: 0, upper: 2, rate: '0.05' },
        { lower: 3, upper: 5, rate: '0.04' },
        { lower: 6, upper: null, rate: '0.03' },
      ],
    },
  ],
};

async function upload(body: unknown, opts: { token?: string; query?: string; csv?: boolean } = {}) {
  return h.json('POST', `/v1/rate-cards${opts.query ?? ''}`, {
    token: opts.token ?? ADMIN,
    body: opts.csv ? String(body) : body,
    headers: opts.csv ? { 'content-type': 'text/csv' } : {},
  });
}

describe('rate-card listing', () => {
  it('lists the shipped cards with their validity and filters by currency and date', async () => {
    const all = await h.json('GET', '/v1/rate-cards?currency=USD', { token: key });
    expect(all.status).toBe(200);
    expect(
      all.body.rate_cards.map((c: { card_id: string; effective_to: string | null }) => [
        c.card_id,
        c.effective_to,
      ]),
    ).toEqual([
      ['usd-cbp-2022-02-01', '2023-06-01'],
      ['usd-cbp-2023-06-01', '2024-11-01'],
      ['usd-cbp-2024-11-01', null],
      ['usd-pmp-2025-07-01', '2025-10-01'],
      ['usd-pmp-2025-10-01', '2026-01-01'],
      ['usd-pmp-2026-01-01', '2026-04-01'],
      ['usd-pmp-2026-04-01', '2026-07-01'],
      ['usd-pmp-2026-07-01', '2026-10-01'],
      ['usd-pmp-2026-10-01', null],
    ]);
    const inForce = await h.json('GET', '/v1/rate-cards?effective=2026-02-01', { token: key });
    expect(inForce.body.rate_cards.map((c: { card_id: string }) => c.card_id)).toEqual([
      'eur-cbp-2022-02-01',
      'inr-pmp-2026-01-01',
      'usd-cbp-2024-11-01',
      'usd-pmp-2026-01-01',
    ]);
  });

  it('shows one card with rates, tiers and provenance; n/a cells are absent; unknown ids are 404', async () => {
    const r = await h.json('GET', '/v1/rate-cards/usd-pmp-2026-07-01', { token: key });
    expect(r.status).toBe(200);
    const util = r.body.rates.find(
      (x: { market: string; category: string }) =>
        x.market === 'United Arab Emirates' && x.category === 'utility',
    );
    expect(util.rate).toBe('0.015700');
    expect(util.marginal).toBe(true);
    expect(util.tiers.map((t: { label: string; rate: string }) => [t.label, t.rate])).toEqual([
      ['0:100000', '0.015700'],
      ['100001:1000000', '0.014900'],
      ['1000001:4500000', '0.014100'],
      ['4500001:40000000', '0.013300'],
      ['40000001:80000000', '0.012600'],
      ['80000001:MAX', '0.011800'],
    ]);
    // Meta marks North America's authentication-international "n/a": no row, never a 0.
    const na = r.body.rates.filter((x: { market: string }) => x.market === 'North America');
    expect(na.map((x: { category: string }) => x.category).sort()).toEqual([
      'authentication',
      'marketing',
      'utility',
    ]);
    expect(r.body.provenance.confidence).toMatch(/high/);
    expect(r.body.provenance.sources.map((x: { key: string }) => x.key)).toContain('META_FILE_2026');
    expect(r.body.provenance.gaps.length).toBeGreaterThan(0);
    expect((await h.json('GET', '/v1/rate-cards/nope', { token: key })).status).toBe(404);
  });
});

describe('upload validation', () => {
  it('is admin only', async () => {
    const r = await upload(EUR_CARD, { token: key });
    expect(r.status).toBe(403);
  });

  it('names path, column and reason for a JSON card', async () => {
    const bad = {
      ...EUR_CARD,
      currency: 'XYZ',
      rates: [
        { market: 'Germany', category: 'marketing', rate: '-0.1' },
        { market: 'Atlantis', category: 'marketing', rate: '0.1' },
        { market: 'Germany', category: 'telepathy', rate: '0.1234567' },
        {
          market: 'France',
          category: 'utility',
          tiers: [
            { lower: 0, upper: 10, rate: '0.1' },
            { lower: 5, upper: null, rate: '0.1' },
          ],
        },
      ],
    };
    const r = await upload(bad);
    expect(r.status).toBe(400);
    expect(r.body.issues).toEqual(
      expect.arrayContaining([
        { column: 'currency', reason: 'must be an ISO 4217 currency code' },
        { column: 'rates[0].rate', reason: 'must be a non-negative decimal with at most 6 decimals' },
        { column: 'rates[1].market', reason: 'unknown market "Atlantis"' },
        { column: 'rates[2].category', reason: 'unknown category "telepathy"' },
        { column: 'rates[2].rate', reason: 'must be a non-negative decimal with at most 6 decimals' },
        { column: 'rates[3].tiers[1].tier_lower', reason: 'overlaps the tier 0:10' },
      ]),
    );
  });

  it('names the line and column of a CSV card', async () => {
    const csv = [
      'market,category,rate,tier_lower,tier_upper',
      'Germany,marketing,0.1,,',
      'Germany,utility,0.05,0,100',
      'Germany,utility,0.04,90,',
      'Spain,marketing,1e-3,,',
      'Germany,marketing,0.2,,',
    ].join('\n');
    const r = await upload(csv, {
      csv: true,
      query: '?card_id=x&effective_from=2025-02-30&currency=EUR&pricing_model=PMP',
    });
    expect(r.status).toBe(400);
    expect(r.body.issues).toEqual([
      { column: 'effective_from', reason: 'must be a date as YYYY-MM-DD' },
      { line: 4, column: 'tier_lower', reason: 'overlaps the tier 0:100' },
      { line: 5, column: 'rate', reason: 'must be a non-negative decimal with at most 6 decimals' },
      { line: 6, column: 'category', reason: 'duplicate rate for Germany / marketing' },
    ]);
  });

  it('refuses tiers on CBP or on marketing, and an unsupported content type', async () => {
    const r = await upload({
      ...EUR_CARD,
      pricing_model: 'CBP',
      rates: [{ market: 'Germany', category: 'utility', tiers: [{ lower: 0, upper: null, rate: '0.1' }] }],
    });
    expect(r.status).toBe(400);
    expect(r.body.issues).toContainEqual({
      column: 'rates[0].tiers',
      reason: 'volume tiers exist only for PMP utility and authentication',
    });
    const t = await h.json('POST', '/v1/rate-cards', {
      token: ADMIN,
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(t.status).toBe(415);
  });
});

describe('tiered marginal pricing after an upload re-prices existing units', () => {
  beforeAll(async () => {
    await h.waba(key, { waba_id: 'WE', timezone: 'Europe/Berlin', currency: 'EUR' }, ['G']);
    const g = {
      waba_id: 'WE',
      phone_number_id: 'G',
      recipient: '+4915112345678',
      pricing_model: 'PMP' as const,
      is_template: true,
    };
    await insertUnits(h.db, [
      ...series(7, '2025-08-03T08:00:00Z', (i, at) => ({
        ...g,
        unit_id: `g-aug-${i}`,
        category: 'utility',
        opened_at: at,
      })),
      ...series(2, '2025-09-03T08:00:00Z', (i, at) => ({
        ...g,
        unit_id: `g-sep-${i}`,
        category: 'utility',
        opened_at: at,
      })),
      ...series(3, '2025-08-04T08:00:00Z', (i, at) => ({
        ...g,
        unit_id: `g-mkt-${i}`,
        category: 'marketing',
        opened_at: at,
      })),
      ...series(4, '2025-08-05T08:00:00Z', (i, at) => ({
        ...g,
        unit_id: `g-auth-${i}`,
        category: 'authentication',
        opened_at: at,
      })),
    ]);
  });

  it('has no EUR card yet: paid units are unpriced', async () => {
    const r = await h.json('GET', '/v1/charges?waba_id=WE&from=2025-08&to=2025-08', { token: key });
    expect(r.body.rows).toEqual([
      { period: '2025-08', unit: 'message', currency: 'EUR', paid: 14, amount: null },
    ]);
    expect(r.body.unpriced_units.count).toBe(14);
    expect(r.body.unpriced_units.message).toMatch(/^14 paid messages could not be priced/);
  });

  it('prices each unit at the tier it falls in, per month, once the card is uploaded', async () => {
    const r = await upload(EUR_CARD);
    expect(r.status).toBe(201);
    expect(r.body.repriced_months).toEqual([
      { waba_id: 'WE', month: '2025-08-01' },
      { waba_id: 'WE', month: '2025-09-01' },
    ]);
    // August utility: units 1–2 at 0.05, 3–5 at 0.04, 6–7 at 0.03 = 0.10 + 0.12 + 0.06 = 0.28.
    // September starts again at tier 1: 2 × 0.05 = 0.10. Marketing 3 × 0.10 = 0.30; authentication has no rate.
    const c = await h.json('GET', '/v1/charges?waba_id=WE&from=2025-08&to=2025-09&group_by=category', {
      token: key,
    });
    expect(c.body.rows).toEqual([
      {
        period: '2025-08',
        category: 'authentication',
        unit: 'message',
        currency: 'EUR',
        paid: 4,
        amount: null,
      },
      {
        period: '2025-08',
        category: 'marketing',
        unit: 'message',
        currency: 'EUR',
        paid: 3,
        amount: '0.300000',
      },
      {
        period: '2025-08',
        category: 'utility',
        unit: 'message',
        currency: 'EUR',
        paid: 7,
        amount: '0.280000',
      },
      {
        period: '2025-09',
        category: 'utility',
        unit: 'message',
        currency: 'EUR',
        paid: 2,
        amount: '0.100000',
      },
    ]);
    const tiers = await h.db.all<{ tier: string; n: string }>(
      `SELECT tier, count(*) AS n FROM units WHERE unit_id LIKE 'g-aug-%' GROUP BY tier ORDER BY tier`,
    );
    expect(tiers).toEqual([
      { tier: '0:2', n: '2' },
      { tier: '3:5', n: '3' },
      { tier: '6:MAX', n: '2' },
    ]);
  });

  it('re-uploading with replace (CSV) applies volume (non-marginal) tiers to the whole month', async () => {
    const csv = [
      'market,category,rate,tier_lower,tier_upper,marginal',
      'Germany,marketing,0.10,,,',
      'Germany,authentication,0.05,0,2,false',
      'Germany,authentication,0.04,3,,false',
    ].join('\r\n');
    const dup = await upload(csv, {
      csv: true,
      query: '?card_id=eur-pmp-test&effective_from=2025-07-01&currency=EUR&pricing_model=PMP',
    });
    expect(dup.status).toBe(409);
    const r = await upload(csv, {
      csv: true,
      query: '?card_id=eur-pmp-test&effective_from=2025-07-01&currency=EUR&pricing_model=PMP&replace=true',
    });
    expect(r.status).toBe(201);
    // 4 authentication messages reach the 3:MAX tier, so all 4 are at 0.04 = 0.16; utility is now unpriced.
    const c = await h.json('GET', '/v1/charges?waba_id=WE&from=2025-08&to=2025-08&group_by=category', {
      token: key,
    });
    expect(c.body.rows.map((x: { category: string; amount: string }) => [x.category, x.amount])).toEqual([
      ['authentication', '0.160000'],
      ['marketing', '0.300000'],
      ['utility', null],
    ]);
    expect(c.body.unpriced_units.by).toEqual([
      { market: 'Germany', category: 'utility', unit: 'message', currency: 'EUR', count: 7 },
    ]);
  });
});

describe('shipped data reload', () => {
  it('keeps an uploaded replacement of a shipped card when the shipped data is loaded again', async () => {
    const r = await upload({
      card_id: 'usd-pmp-2025-07-01',
      effective_from: '2025-07-01',
      currency: 'USD',
      pricing_model: 'PMP',
      replace: true,
      rates: [{ market: 'Rest of Western Europe', category: 'marketing', rate: '0.0600' }],
    });
    expect(r.status).toBe(201);
    expect(r.body.origin).toBe('upload');
    await h.db.transaction(async (tx) => {
      await tx.run('DELETE FROM pricing_seed');
      expect(await seedPricingData(tx, new Date('2026-11-24T12:00:00Z'))).toBe(true);
    });
    const card = await h.json('GET', '/v1/rate-cards/usd-pmp-2025-07-01', { token: key });
    expect(card.body.rates).toEqual([
      {
        market: 'Rest of Western Europe',
        category: 'marketing',
        rate: '0.060000',
        marginal: true,
        tiers: [],
      },
    ]);
    const shipped = await h.json('GET', '/v1/rate-cards/usd-cbp-2023-06-01', { token: key });
    expect(shipped.body.origin).toBe('shipped');
  });
});
