/**
 * Partial rate cards: the INR cards of 2025-07, 2026-01, 2026-07 and 2026-10 list India only and the BRL card
 * Brazil only (their `gaps` say so). A card is the whole price list of its period, so a paid unit in a market the
 * card in force does not list is unpriced (amount NULL, counted in unpriced_units) — never 0, never priced from an
 * older card of the currency, never from another market's row; the record's own rate still prices it. Both the
 * bulk ingest (rates resolved while landing) and the re-derivation (priceUnits) are checked, and so is an
 * uploaded partial card, which must take the prices of the markets it lacks away rather than leave the old ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';
import { ingestUnits, insertUnits, type TestUnit } from './insert-units.js';

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await createHarness({ now: '2026-12-01T12:00:00Z' });
  key = await h.partner('acme');
  await h.waba(key, { waba_id: 'WI', timezone: 'Asia/Kolkata', currency: 'INR' }, ['I1', 'I2']);
  await h.waba(key, { waba_id: 'WB', timezone: 'America/Sao_Paulo', currency: 'BRL' }, ['B1', 'B2']);
  await h.waba(key, { waba_id: 'WU', timezone: 'America/New_York', currency: 'USD' }, ['U1']);
});
afterAll(() => h.close());

const IN = '+919812345678';
const US = '+14155550123';
const BR = '+5511987654321';

const unit = (id: string, waba: string, phone: string, recipient: string, at: string): TestUnit => ({
  unit_id: id,
  waba_id: waba,
  phone_number_id: phone,
  recipient,
  category: 'marketing',
  opened_at: at,
  pricing_model: 'PMP',
  is_template: true,
});

interface Priced {
  unit_id: string;
  market: string;
  is_paid: boolean;
  amount: string | null;
  rate_card_id: string | null;
}

async function priced(prefix: string): Promise<Record<string, Omit<Priced, 'unit_id'>>> {
  const rows = await h.db.all<Priced>(
    `SELECT unit_id, market, is_paid, CAST(amount AS VARCHAR) AS amount, rate_card_id
       FROM units WHERE starts_with(unit_id, $p) ORDER BY unit_id`,
    { p: prefix },
  );
  return Object.fromEntries(rows.map(({ unit_id, ...rest }) => [unit_id.slice(prefix.length), rest]));
}

const paid = (market: string, amount: string | null, card: string | null) => ({
  market,
  is_paid: true,
  amount,
  rate_card_id: card,
});

// What every path must give for the same units (ids after the prefix).
const EXPECTED = {
  'in-2602': paid('India', '0.863100', 'inr-pmp-2026-01-01'),
  // 2026-01-01 INR card: India only. The 2025-10 card's North America rate (1.8313) no longer applies.
  'us-2602': paid('North America', null, null),
  'us-2511': paid('North America', '1.831300', 'inr-pmp-2025-10-01'),
  'br-2608': paid('Brazil', '0.321700', 'brl-pmp-2026-07-01'),
  'us-2608': paid('North America', null, null),
  // Before the first BRL card nothing prices BRL.
  'br-2605': paid('Brazil', null, null),
};

const units = (p: string, phones: { i: string; b: string }) => [
  unit(`${p}in-2602`, 'WI', phones.i, IN, '2026-02-10T06:00:00Z'),
  unit(`${p}us-2602`, 'WI', phones.i, US, '2026-02-10T06:00:00Z'),
  unit(`${p}us-2511`, 'WI', phones.i, US, '2025-11-10T06:00:00Z'),
  unit(`${p}br-2608`, 'WB', phones.b, BR, '2026-08-10T12:00:00Z'),
  unit(`${p}us-2608`, 'WB', phones.b, US, '2026-08-10T12:00:00Z'),
  unit(`${p}br-2605`, 'WB', phones.b, BR, '2026-05-10T12:00:00Z'),
];

describe('cards that list only some markets', () => {
  it('leave the other markets unpriced when records are ingested', async () => {
    await ingestUnits(h, key, units('a-', { i: 'I1', b: 'B1' }));
    expect(await priced('a-')).toEqual(EXPECTED);
  });

  it('give the same answer when the months are derived again', async () => {
    await insertUnits(h.db, units('b-', { i: 'I2', b: 'B2' }));
    expect(await priced('b-')).toEqual(EXPECTED);
  });

  it('are named in the charges answer as unpriced, by market, never as 0', async () => {
    const r = await h.json('GET', '/v1/charges?waba_id=WI&from=2026-02&to=2026-02&group_by=market', {
      token: key,
    });
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([
      { period: '2026-02', market: 'India', unit: 'message', currency: 'INR', paid: 2, amount: '1.726200' },
      { period: '2026-02', market: 'North America', unit: 'message', currency: 'INR', paid: 2, amount: null },
    ]);
    expect(r.body.unpriced_units).toMatchObject({
      count: 2,
      by: [{ market: 'North America', category: 'marketing', unit: 'message', currency: 'INR', count: 2 }],
    });
  });

  it('uploaded: a partial card takes the prices of the markets it lacks away', async () => {
    await ingestUnits(h, key, [
      unit('c-us-2611', 'WU', 'U1', US, '2026-11-10T15:00:00Z'),
      unit('c-in-2611', 'WU', 'U1', IN, '2026-11-10T15:00:00Z'),
    ]);
    expect(await priced('c-')).toEqual({
      'in-2611': paid('India', '0.011800', 'usd-pmp-2026-10-01'),
      'us-2611': paid('North America', '0.025000', 'usd-pmp-2026-10-01'),
    });
    const up = await h.json('POST', '/v1/rate-cards', {
      token: ADMIN,
      body: {
        card_id: 'usd-pmp-india-only',
        effective_from: '2026-11-01',
        currency: 'USD',
        pricing_model: 'PMP',
        rates: [{ market: 'India', category: 'marketing', rate: '0.0120' }],
      },
    });
    expect(up.status).toBe(201);
    expect(up.body.repriced_months).toContainEqual({ waba_id: 'WU', month: '2026-11-01' });
    expect(await priced('c-')).toEqual({
      'in-2611': paid('India', '0.012000', 'usd-pmp-india-only'),
      'us-2611': paid('North America', null, null),
    });
    const r = await h.json('GET', '/v1/charges?waba_id=WU&from=2026-11&to=2026-11', { token: key });
    expect(r.body.rows).toEqual([
      { period: '2026-11', unit: 'message', currency: 'USD', paid: 2, amount: '0.012000' },
    ]);
    expect(r.body.unpriced_units.count).toBe(1);
  });
});
