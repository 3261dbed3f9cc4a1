/**
 * worker/usage/unpriced-units: a paid unit no card or record prices is counted, never added as 0 — in
 * /v1/charges, the statement, the alert feed (once per WABA and month) and the admin listing — and the recipient's
 * number, not the record, decides the market. Real DuckDB, the real app, records ingested over HTTP. GBP has no
 * rate card, so every paid GBP unit without a record rate is unpriced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';

const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,market,category,opened_at,is_template,rate';
const row = (id: string, phone: string, to: string, market: string, at: string, rate = '') =>
  `${id},PMP,message,WG,${phone},${to},${market},marketing,${at},true,${rate}`;

describe('unpriced paid units', () => {
  let h: Harness;
  let key: string;
  const ingest = (lines: string[]) =>
    h.json('POST', '/v1/ingest', {
      token: key,
      body: [HEADER, ...lines].join('\n') + '\n',
      headers: { 'content-type': 'text/csv' },
    });
  const FIRST = [
    row('g1', 'G1', '447700900001', 'United Kingdom', '2026-11-02T10:00:00Z'),
    row('g2', 'G1', '447700900002', 'United Kingdom', '2026-11-03T10:00:00Z'),
    // The record names Germany, the number is British: the number decides.
    row('g3', 'G1', '447700900003', 'Germany', '2026-11-04T10:00:00Z'),
    // Priced from the record's own rate.
    row('g4', 'G1', '447700900004', 'United Kingdom', '2026-11-05T10:00:00Z', '0.0500'),
    row('g5', 'G2', '447700900005', '', '2026-11-06T10:00:00Z'),
  ];

  beforeAll(async () => {
    // hooks.example.com stands for a public receiver (no DNS in tests; nothing is delivered here).
    h = await createHarness({ now: '2026-12-01T09:00:00Z', lookup: async () => ['93.184.216.34'] });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'WG', timezone: 'Europe/London', currency: 'GBP' }, ['G1', 'G2']);
    const sub = await h.json('POST', '/v1/alert-subscriptions', {
      token: key,
      body: { url: 'https://hooks.example.com/alerts' },
    });
    expect(sub.status).toBe(201);
  });
  afterAll(() => h.close());

  it('counts a record whose market disagrees with its number, and keeps the number’s market', async () => {
    const r = await ingest(FIRST);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ inserted: 5, duplicates: 0, market_mismatch: 1 });
    const units = await h.db.all<{ unit_id: string; market: string; market_reported: string | null }>(
      `SELECT unit_id, market, market_reported FROM units ORDER BY unit_id`,
    );
    expect(units.find((u) => u.unit_id === 'g3')).toEqual({
      unit_id: 'g3',
      market: 'United Kingdom',
      market_reported: 'Germany',
    });
    expect(units.every((u) => u.market === 'United Kingdom')).toBe(true);
  });

  it('answers /v1/charges with the unpriced units by market and category, never a 0 amount', async () => {
    const r = await h.json('GET', '/v1/charges?waba_id=WG&from=2026-11&to=2026-11&group_by=phone_number_id', {
      token: key,
    });
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([
      // G1: one of four paid units priced (the record's 0.05); G2's only paid unit has no price at all.
      {
        period: '2026-11',
        phone_number_id: 'G1',
        unit: 'message',
        currency: 'GBP',
        paid: 4,
        amount: '0.050000',
      },
      { period: '2026-11', phone_number_id: 'G2', unit: 'message', currency: 'GBP', paid: 1, amount: null },
    ]);
    expect(r.body.unpriced_units).toEqual({
      count: 4,
      by: [{ market: 'United Kingdom', category: 'marketing', unit: 'message', currency: 'GBP', count: 4 }],
      message: expect.stringMatching(/^4 paid messages could not be priced/),
    });
    const stored = await h.db.all<{ n: number }>(
      'SELECT count(*)::INTEGER AS n FROM units WHERE is_paid AND amount IS NULL',
    );
    expect(stored[0]?.n).toBe(4);
  });

  it('says so on the statement of the month', async () => {
    const r = await h.json('GET', '/v1/phone-numbers/G1/ledger?month=2026-11', { token: key });
    expect(r.status).toBe(200);
    expect(r.body.unpriced_units.count).toBe(3);
    expect(r.body.unpriced_units.message).toMatch(/^3 paid messages could not be priced/);
    const dec = await h.json('GET', '/v1/phone-numbers/G1/ledger?month=2026-10', { token: key });
    expect(dec.body.unpriced_units).toEqual({ count: 0, by: [], message: null });
  });

  it('raises unpriced_units once per WABA and month, to the feed and to subscriptions', async () => {
    const feed = async () =>
      (await h.json('GET', '/v1/alerts?kind=unpriced_units', { token: key })).body.alerts as any[];
    const first = await feed();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      kind: 'unpriced_units',
      waba_id: 'WG',
      phone_number_id: null,
      data: { month: '2026-11', count: 4 },
    });
    expect(first[0].message).toMatch(/^2026-11: 4 paid messages could not be priced/);
    const deliveries = await h.money.all('SELECT 1 FROM alert_deliveries WHERE alert_id = $a', {
      a: first[0].alert_id,
    });
    expect(deliveries).toHaveLength(1);

    // The same file again: all duplicates, no new alert. A new unpriced unit in the month: still one alert.
    const again = await ingest(FIRST);
    expect(again.body).toMatchObject({ inserted: 0, updated: 0, duplicates: 5, market_mismatch: 0 });
    await ingest([row('g6', 'G2', '447700900006', 'United Kingdom', '2026-11-20T10:00:00Z')]);
    expect(await feed()).toHaveLength(1);
    // Another month is another alert.
    await ingest([row('g7', 'G2', '447700900007', 'United Kingdom', '2026-10-20T10:00:00Z')]);
    const later = await feed();
    expect(later.map((a) => a.data.month)).toEqual(['2026-10', '2026-11']);
    // A WABA-level filter finds them; an embed token for a number does not see WABA alerts.
    const byWaba = await h.json('GET', '/v1/alerts?waba_id=WG', { token: key });
    expect(byWaba.body.alerts).toHaveLength(2);
  });

  it('lists unpriced months for the admin, across partners, and for a partner its own', async () => {
    const other = await h.partner('globex');
    const admin = await h.json('GET', '/v1/charges/unpriced', { token: ADMIN });
    expect(admin.status).toBe(200);
    expect(admin.body.months).toEqual([
      {
        partner_id: 'acme',
        waba_id: 'WG',
        month: '2026-11',
        count: 5,
        by: [{ market: 'United Kingdom', category: 'marketing', unit: 'message', currency: 'GBP', count: 5 }],
        message: expect.stringMatching(/^5 paid messages could not be priced/),
      },
      expect.objectContaining({ partner_id: 'acme', waba_id: 'WG', month: '2026-10', count: 1 }),
    ]);
    const own = await h.json('GET', '/v1/charges/unpriced', { token: key });
    expect(own.body.months).toHaveLength(2);
    const none = await h.json('GET', '/v1/charges/unpriced', { token: other });
    expect(none.body.months).toEqual([]);
    const embed = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['G1'], scopes: ['read-usage'] },
    });
    const refused = await h.json('GET', '/v1/charges/unpriced', { token: embed.body.token });
    expect(refused.status).toBe(403);
  });

  it('forecasts charges at the rate of the priced units and says how many were left out', async () => {
    const r = await h.json('GET', '/v1/forecasts/charges?phone_number_id=G1&horizon=2', { token: key });
    expect(r.status).toBe(200);
    expect(r.body.history).toEqual([{ period: '2026-11', value: '0.050000' }]);
    // One of G1's four paid units was priced (0.05): that is the rate, not 0.05 / 4.
    expect(r.body.rate).toMatchObject({ basis_month: '2026-11', per_paid_unit: '0.050000' });
    expect(r.body.unpriced_units).toMatchObject({ count: 3 });
    expect(r.body.unpriced_units.message).toMatch(/^3 paid messages could not be priced/);
  });

  it('keeps unpriced counts in both rollups, equal to the units', async () => {
    const [d] = await h.db.all<{ daily: string; monthly: string; units: string }>(
      `SELECT (SELECT sum(n_unpriced) FROM usage_daily WHERE waba_id = 'WG')::VARCHAR AS daily,
              (SELECT sum(n_unpriced) FROM usage_monthly WHERE waba_id = 'WG')::VARCHAR AS monthly,
              (SELECT count(*) FROM units WHERE waba_id = 'WG' AND is_paid AND amount IS NULL)::VARCHAR AS units`,
    );
    expect(d).toEqual({ daily: '6', monthly: '6', units: '6' });
  });
});
