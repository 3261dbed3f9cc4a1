import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { ingestUnits, insertUnits, series } from './insert-units.js';

// Units here carry NO record rates: every amount comes from the shipped cards in data/rate-cards. The worked
// examples go through POST /v1/ingest; the rest write units directly and run the derivation pipeline.
let h: Harness;
let key: string;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-24T12:00:00Z' });
  key = await h.partner('acme');
});
afterAll(() => h.close());

async function charges(query: string) {
  const r = await h.json('GET', `/v1/charges?${query}`, { token: key });
  expect(r.status).toBe(200);
  return r.body.rows as Record<string, unknown>[];
}
async function usage(query: string) {
  const r = await h.json('GET', `/v1/usage?${query}`, { token: key });
  expect(r.status).toBe(200);
  return r.body.rows as Record<string, unknown>[];
}

describe('DOMAIN §9.6 CBP R2 worked example priced by the R2 card', () => {
  beforeAll(async () => {
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['A', 'B']);
    const a = { waba_id: 'W1', phone_number_id: 'A', recipient: '+15550001111' };
    const b = { waba_id: 'W1', phone_number_id: 'B', recipient: '+14165550000' };
    await ingestUnits(h, key, [
      ...series(700, '2023-06-01T08:00:00Z', (i, at) => ({
        ...a,
        unit_id: `a-s${i}`,
        category: 'service',
        opened_at: at,
      })),
      ...series(300, '2023-06-05T08:00:00Z', (i, at) => ({
        ...a,
        unit_id: `a-m${i}`,
        category: 'marketing',
        opened_at: at,
      })),
      ...series(500, '2023-06-10T08:00:00Z', (i, at) => ({
        ...b,
        unit_id: `b-s${i}`,
        category: 'service',
        opened_at: at,
      })),
      ...series(100, '2023-06-12T08:00:00Z', (i, at) => ({
        ...b,
        unit_id: `b-u${i}`,
        category: 'utility',
        opened_at: at,
      })),
      ...series(50, '2023-06-13T08:00:00Z', (i, at) => ({
        ...b,
        unit_id: `b-f${i}`,
        category: 'referral_conversion',
        opened_at: at,
      })),
    ]);
  });

  it('answers A 7.50 and B 3.26', async () => {
    expect(await charges('waba_id=W1&from=2023-06&to=2023-06&group_by=phone_number_id')).toEqual([
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

  it('records the card, market and country on each paid unit; free units carry no amount', async () => {
    const rows = await h.db.all<{
      rate_card_id: string | null;
      market: string;
      c: string;
      amount: string | null;
    }>(
      `SELECT rate_card_id, market, recipient_country AS c, any_value(amount) AS amount, count(*) AS n FROM units
        WHERE waba_id = 'W1' GROUP BY ALL ORDER BY ALL`,
    );
    expect(rows.map((r) => [r.rate_card_id, r.market, r.c])).toEqual([
      ['usd-cbp-2023-06-01', 'North America', 'CA'],
      ['usd-cbp-2023-06-01', 'North America', 'US'],
      [null, 'North America', 'CA'],
      [null, 'North America', 'US'],
    ]);
    const free = await h.db.all(
      `SELECT 1 FROM units WHERE waba_id = 'W1' AND is_free AND amount IS NOT NULL`,
    );
    expect(free).toEqual([]);
  });
});

describe('card choice by the local open time', () => {
  it('prices 2023-05-31 23:30 Los Angeles (2023-06-01 06:30 UTC) on the R1 card, 00:30 on R2', async () => {
    await h.waba(key, { waba_id: 'W2', timezone: 'America/Los_Angeles' }, ['C']);
    const c = { waba_id: 'W2', phone_number_id: 'C', recipient: '15550001111' };
    await insertUnits(h.db, [
      // 1,000 R1 conversations fill May's free tier, so the 23:30 one is paid.
      ...series(1000, '2023-05-10T08:00:00Z', (i, at) => ({
        ...c,
        unit_id: `c-${i}`,
        category: 'user_initiated',
        opened_at: at,
      })),
      { ...c, unit_id: 'c-late-may', category: 'business_initiated', opened_at: '2023-06-01T06:30:00Z' },
      { ...c, unit_id: 'c-june', category: 'marketing', opened_at: '2023-06-01T07:30:00Z' },
    ]);
    const rows = await h.db.all(
      `SELECT unit_id, strftime(local_day, '%Y-%m-%d') AS day, rate_card_id, rate, amount FROM units
        WHERE unit_id IN ('c-late-may', 'c-june') ORDER BY unit_id`,
    );
    expect(rows).toEqual([
      {
        unit_id: 'c-june',
        day: '2023-06-01',
        rate_card_id: 'usd-cbp-2023-06-01',
        rate: '0.025000',
        amount: '0.025000',
      },
      {
        unit_id: 'c-late-may',
        day: '2023-05-31',
        rate_card_id: 'usd-cbp-2022-02-01',
        rate: '0.014700',
        amount: '0.014700',
      },
    ]);
  });
});

describe('DOMAIN §9.6 PMP example, Rest of Western Europe (Austria)', () => {
  it('answers All 3800 / Free 2300 / Paid 1500 and 67.75', async () => {
    await h.waba(key, { waba_id: 'W3', timezone: 'Europe/Vienna' }, ['D']);
    const d = {
      waba_id: 'W3',
      phone_number_id: 'D',
      recipient: '+436641234567',
      pricing_model: 'PMP' as const,
    };
    const t = '2025-07-02T08:00:00Z';
    await ingestUnits(h, key, [
      ...series(1000, t, (i, at) => ({
        ...d,
        unit_id: `d-m${i}`,
        category: 'marketing',
        is_template: true,
        opened_at: at,
      })),
      ...series(500, t, (i, at) => ({
        ...d,
        unit_id: `d-u${i}`,
        category: 'utility',
        is_template: true,
        in_csw: false,
        opened_at: at,
      })),
      ...series(300, t, (i, at) => ({
        ...d,
        unit_id: `d-c${i}`,
        category: 'utility',
        is_template: true,
        in_csw: true,
        opened_at: at,
      })),
      ...series(2000, t, (i, at) => ({
        ...d,
        unit_id: `d-r${i}`,
        category: 'service',
        is_template: false,
        in_csw: true,
        opened_at: at,
      })),
    ]);
    expect(await usage('waba_id=W3&from=2025-07&to=2025-07')).toEqual([
      { period: '2025-07', unit: 'message', all: 3800, free: 2300, paid: 1500 },
    ]);
    expect(await charges('waba_id=W3&from=2025-07&to=2025-07')).toEqual([
      { period: '2025-07', unit: 'message', currency: 'USD', paid: 1500, amount: '67.750000' },
    ]);
    expect(await charges('waba_id=W3&from=2025-07&to=2025-07&group_by=category,country')).toEqual([
      {
        period: '2025-07',
        category: 'marketing',
        country: 'AT',
        unit: 'message',
        currency: 'USD',
        paid: 1000,
        amount: '59.200000',
      },
      {
        period: '2025-07',
        category: 'service',
        country: 'AT',
        unit: 'message',
        currency: 'USD',
        paid: 0,
        amount: '0.000000',
      },
      {
        period: '2025-07',
        category: 'utility',
        country: 'AT',
        unit: 'message',
        currency: 'USD',
        paid: 500,
        amount: '8.550000',
      },
    ]);
  });
});

describe('authentication-international and record-rate fallback', () => {
  it('uses the auth-intl rate where the card has one, the domestic rate otherwise, and the record rate with no card rate', async () => {
    await h.waba(key, { waba_id: 'W4', timezone: 'UTC' }, ['E']);
    const e = { waba_id: 'W4', phone_number_id: 'E' };
    await insertUnits(h.db, [
      {
        ...e,
        unit_id: 'e-in',
        recipient: '+919812345678',
        category: 'authentication_international',
        opened_at: '2024-12-02T10:00:00Z',
      },
      {
        ...e,
        unit_id: 'e-br',
        recipient: '+5511912345678',
        category: 'authentication_international',
        opened_at: '2024-12-02T10:00:00Z',
      },
      // North America has no authentication-international rate ("n/a" on Meta's card): domestic applies.
      {
        ...e,
        unit_id: 'e-na',
        recipient: '+14155550123',
        category: 'authentication_international',
        opened_at: '2024-12-02T10:00:00Z',
      },
      // The late-2024 card has no marketing_lite rate: the record's own rate is kept.
      {
        ...e,
        unit_id: 'e-gb',
        recipient: '+447700900000',
        category: 'marketing_lite',
        opened_at: '2024-12-02T10:00:00Z',
        rate_in: '0.0705',
      },
      // No rate anywhere: paid, but unpriced.
      {
        ...e,
        unit_id: 'e-gb2',
        recipient: '+447700900001',
        category: 'marketing_lite',
        opened_at: '2024-12-02T10:00:00Z',
      },
    ]);
    const rows = await h.db.all(
      `SELECT unit_id, market, rate_card_id, amount, is_paid FROM units WHERE waba_id = 'W4' ORDER BY unit_id`,
    );
    expect(rows).toEqual([
      {
        unit_id: 'e-br',
        market: 'Brazil',
        rate_card_id: 'usd-cbp-2024-11-01',
        amount: '0.031500',
        is_paid: true,
      },
      { unit_id: 'e-gb', market: 'United Kingdom', rate_card_id: null, amount: '0.070500', is_paid: true },
      { unit_id: 'e-gb2', market: 'United Kingdom', rate_card_id: null, amount: null, is_paid: true },
      {
        unit_id: 'e-in',
        market: 'India',
        rate_card_id: 'usd-cbp-2024-11-01',
        amount: '0.028000',
        is_paid: true,
      },
      {
        unit_id: 'e-na',
        market: 'North America',
        rate_card_id: 'usd-cbp-2024-11-01',
        amount: '0.013500',
        is_paid: true,
      },
    ]);
  });
});
