import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceUnits } from '../../worker/pricing/price-units.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { insertUnits } from './insert-units.js';

// priceUnits is set-based over a scope of WABA months: these pin what the scope joins, the per-currency card
// resolution and the change-only writes must keep (values from data/rate-cards and data/markets).
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-24T12:00:00Z' });
  const key = await h.partner('acme');
  await h.waba(key, { waba_id: 'WI', timezone: 'Asia/Kolkata', currency: 'INR' }, ['I']);
  await h.waba(key, { waba_id: 'WU', timezone: 'UTC' }, ['U']);
  const pmp = { pricing_model: 'PMP' as const, is_template: true, in_csw: false };
  const i = { ...pmp, waba_id: 'WI', phone_number_id: 'I', recipient: '+919812345678' };
  const u = { ...pmp, waba_id: 'WU', phone_number_id: 'U' };
  await insertUnits(h.db, [
    { ...i, unit_id: 'i-aug-1', category: 'utility', opened_at: '2025-08-05T10:00:00Z' },
    { ...i, unit_id: 'i-aug-2', category: 'utility', opened_at: '2025-08-05T10:00:01Z' },
    { ...i, unit_id: 'i-sep-1', category: 'marketing', opened_at: '2025-09-03T10:00:00Z' },
    // A record that names its market but not its country: the country comes from the number, the market stays.
    {
      ...u,
      unit_id: 'u-aug-1',
      recipient: '+5491123456789',
      market: 'Argentina',
      category: 'marketing',
      opened_at: '2025-08-05T10:00:00Z',
    },
  ]);
});
afterAll(() => h.close());

const priced = () =>
  h.db.all(
    `SELECT unit_id, market, recipient_country AS country, rate_card_id, rate, amount, tier FROM units
      ORDER BY unit_id`,
  );

describe('priceUnits over a scope of WABA months', () => {
  it('resolves the card per WABA currency and fills a missing country', async () => {
    expect(await priced()).toEqual([
      {
        unit_id: 'i-aug-1',
        market: 'India',
        country: 'IN',
        rate_card_id: 'inr-pmp-2025-07-01',
        rate: '0.115000',
        amount: '0.115000',
        tier: null,
      },
      {
        unit_id: 'i-aug-2',
        market: 'India',
        country: 'IN',
        rate_card_id: 'inr-pmp-2025-07-01',
        rate: '0.115000',
        amount: '0.115000',
        tier: null,
      },
      {
        unit_id: 'i-sep-1',
        market: 'India',
        country: 'IN',
        rate_card_id: 'inr-pmp-2025-07-01',
        rate: '0.784600',
        amount: '0.784600',
        tier: null,
      },
      {
        unit_id: 'u-aug-1',
        market: 'Argentina',
        country: 'AR',
        rate_card_id: 'usd-pmp-2025-07-01',
        rate: '0.061800',
        amount: '0.061800',
        tier: null,
      },
    ]);
  });

  it('touches only the months in scope, and a second run changes nothing', async () => {
    const before = await priced();
    await h.db.run(`UPDATE units SET rate = NULL, amount = NULL, rate_card_id = NULL, tier = NULL`);
    await h.db.transaction((tx) => priceUnits(tx, [{ waba_id: 'WI', month: '2025-08-01' }]));
    const after = await h.db.all<{ unit_id: string; rate: string | null }>(
      `SELECT unit_id, rate FROM units ORDER BY unit_id`,
    );
    expect(after).toEqual([
      { unit_id: 'i-aug-1', rate: '0.115000' },
      { unit_id: 'i-aug-2', rate: '0.115000' },
      { unit_id: 'i-sep-1', rate: null },
      { unit_id: 'u-aug-1', rate: null },
    ]);
    const all = [
      { waba_id: 'WI', month: '2025-08-01' },
      { waba_id: 'WI', month: '2025-09-01' },
      { waba_id: 'WU', month: '2025-08-01' },
    ];
    await h.db.transaction((tx) => priceUnits(tx, all));
    expect(await priced()).toEqual(before);
    await h.db.transaction((tx) => priceUnits(tx, all));
    expect(await priced()).toEqual(before);
  });
});
