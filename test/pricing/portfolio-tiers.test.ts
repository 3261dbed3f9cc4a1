import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits, series } from '../usage/seed-units.js';

// Volume tiers count per business portfolio (all WABAs of one business), per market, category and local month,
// marginal: each message at the tier its rank across the portfolio falls in. A WABA without a portfolio counts
// alone. Expected amounts are computed here from the test card's tiers.
const TIER_1 = { upper: 3, rate: 20_000n }; // micro-units: 0.020000 for messages 1–3
const TIER_2 = 10_000n; // 0.010000 from the 4th on
const price = (rank: number) => (rank <= TIER_1.upper ? TIER_1.rate : TIER_2);
const decimal = (m: bigint) => `${m / 1_000_000n}.${String(m % 1_000_000n).padStart(6, '0')}`;

describe('volume tiers across the WABAs of a business portfolio', () => {
  let h: Harness;
  let key: string;
  let other: string;
  beforeAll(async () => {
    h = await createHarness({ now: '2026-12-02T12:00:00Z' });
    key = await h.partner('acme');
    other = await h.partner('globex');
    const card = await h.json('POST', '/v1/rate-cards', {
      token: ADMIN,
      body: {
        card_id: 'test-usd-tiered',
        effective_from: '2026-11-01',
        currency: 'USD',
        pricing_model: 'PMP',
        rates: [
          {
            market: 'Rest of Western Europe',
            category: 'utility',
            marginal: true,
            tiers: [
              { lower: 1, upper: TIER_1.upper, rate: '0.0200' },
              { lower: TIER_1.upper + 1, upper: null, rate: '0.0100' },
            ],
          },
        ],
      },
    });
    expect(card.status, JSON.stringify(card.body)).toBe(201);
    // W1 and W2 in different zones; W2 is created straight into the portfolio, W1 joins it later.
    await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Vienna' }, ['P1']);
    const w2 = await h.json('POST', '/v1/wabas', {
      token: key,
      body: { waba_id: 'W2', name: 'W2', timezone: 'UTC', currency: 'USD', portfolio_id: 'biz' },
    });
    expect(w2.status, JSON.stringify(w2.body)).toBe(201);
    expect(w2.body.portfolio_id).toBe('biz');
    await h.json('POST', '/v1/phone-numbers', { token: key, body: { phone_number_id: 'P2', waba_id: 'W2' } });
    const utility = {
      pricing_model: 'PMP' as const,
      category: 'utility',
      is_template: true,
      in_csw: false,
      recipient_wa_id: '4366412345678',
      recipient_country: 'AT',
      market: 'Rest of Western Europe',
    };
    await seedUnits(h, key, [
      ...series(3, '2026-11-03T10:00:00Z', { ...utility, waba_id: 'W1', phone_number_id: 'P1' }, 'w1'),
      ...series(2, '2026-11-04T10:00:00Z', { ...utility, waba_id: 'W2', phone_number_id: 'P2' }, 'w2'),
    ]);
  });
  afterAll(() => h.close());

  const charges = async () => {
    const r = await h.json('GET', '/v1/charges?from=2026-11&to=2026-11&group_by=phone_number_id', {
      token: key,
    });
    return Object.fromEntries(
      r.body.rows.map((x: { phone_number_id: string; amount: string }) => [x.phone_number_id, x.amount]),
    );
  };

  it('counts each WABA alone while they are in different portfolios', async () => {
    expect(await charges()).toEqual({
      P1: decimal(price(1) + price(2) + price(3)),
      P2: decimal(price(1) + price(2)),
    });
  });

  it('counts across both once W1 joins the portfolio: W2’s messages are the 4th and 5th', async () => {
    const r = await h.json('PATCH', '/v1/wabas/W1', { token: key, body: { portfolio_id: 'biz' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.portfolio_id).toBe('biz');
    expect(await charges()).toEqual({
      P1: decimal(price(1) + price(2) + price(3)),
      P2: decimal(price(4) + price(5)),
    });
    const tiers = await h.db.all<{ unit_id: string; tier: string }>(
      "SELECT unit_id, tier FROM units WHERE waba_id = 'W2' ORDER BY unit_id",
    );
    expect(tiers.map((t) => t.tier)).toEqual(['4:MAX', '4:MAX']);
  });

  it('re-prices both WABAs when a later batch lands in one of them', async () => {
    // An earlier W2 message arrives late: it takes rank 1, so W1's third message moves to tier 2.
    await seedUnits(h, key, [
      {
        unit_id: 'w2-early',
        waba_id: 'W2',
        phone_number_id: 'P2',
        opened_at: '2026-11-02T10:00:00Z',
        pricing_model: 'PMP',
        category: 'utility',
        is_template: true,
        in_csw: false,
        recipient_wa_id: '4366412345679',
        recipient_country: 'AT',
        market: 'Rest of Western Europe',
      },
    ]);
    expect(await charges()).toEqual({
      P1: decimal(price(2) + price(3) + price(4)),
      P2: decimal(price(1) + price(5) + price(6)),
    });
  });

  it('leaves the portfolio with null, validates the id, and refuses another partner’s portfolio', async () => {
    const foreign = await h.json('POST', '/v1/wabas', {
      token: other,
      body: { waba_id: 'WX', name: 'WX', timezone: 'UTC', currency: 'USD', portfolio_id: 'biz' },
    });
    expect(foreign.status).toBe(409);
    const bad = await h.json('PATCH', '/v1/wabas/W1', { token: key, body: { portfolio_id: 'not ok!' } });
    expect(bad.status).toBe(400);
    const empty = await h.json('PATCH', '/v1/wabas/W1', { token: key, body: {} });
    expect(empty.status).toBe(400);
    expect((await h.json('PATCH', '/v1/wabas/W1', { token: other, body: { name: 'x' } })).status).toBe(404);
    const out = await h.json('PATCH', '/v1/wabas/W1', { token: key, body: { portfolio_id: null } });
    expect(out.status).toBe(200);
    expect(out.body.portfolio_id).toBeNull();
    expect(await charges()).toEqual({
      P1: decimal(price(1) + price(2) + price(3)),
      P2: decimal(price(1) + price(2) + price(3)),
    });
  });
});
