/**
 * worker/gate/send-price-book.ts on the shipped cards (data/rate-cards, data/markets): the rate a paid send holds,
 * worked out by hand from the card files. EUR per-message card of 2026-07-01: Germany marketing 0.1131, utility
 * 0.0456; Rest of Asia Pacific marketing 0.0606; the card's highest marketing rate 0.1323. Bangladesh (+880) is
 * Rest of Asia Pacific until 2026-09-30 and its own market, absent from that card, from 2026-10-01. USD card of
 * 2026-07-01: United Arab Emirates utility tiers from 0.0157 down to 0.0118; India authentication 0.0014,
 * authentication_international 0.0304. EUR conversation card of 2022: business/user-initiated only, highest 0.123.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../worker/db/db.js';
import { SendPriceBook, type SendToPrice } from '../../worker/gate/send-price-book.js';
import { toMicros } from '../../worker/kernel/money.js';
import { openStore } from '../../worker/pricing/open-store.js';

describe('worker/gate/send-price-book', () => {
  let db: Db;
  let book: SendPriceBook;
  beforeAll(async () => {
    db = await openStore({ path: ':memory:' }, new Date());
    book = new SendPriceBook(db);
  });
  afterAll(async () => db?.close());

  const eur = (over: Partial<SendToPrice>): SendToPrice => ({
    currency: 'EUR',
    pricingModel: 'PMP',
    day: '2026-08-03',
    customer: '4915112345678',
    category: 'marketing',
    ...over,
  });
  const price = async (s: SendToPrice) => {
    const p = await book.priceOf(s);
    return p === null ? null : p;
  };

  it('the rate of the card in force for the market of the calling code and the category', async () => {
    expect(await price(eur({}))).toBe(toMicros('0.1131'));
    expect(await price(eur({ customer: '+49 151 1234 5678', category: 'utility' }))).toBe(toMicros('0.0456'));
    // A per-message service message without a service row: the market's utility rate, as pricing charges it.
    expect(await price(eur({ category: 'service' }))).toBe(toMicros('0.0456'));
  });

  it('a dated prefix: the market of the day; a market the card lacks holds the highest rate of the category', async () => {
    expect(await price(eur({ customer: '8801712345678', day: '2026-09-30' }))).toBe(toMicros('0.0606'));
    expect(await price(eur({ customer: '8801712345678', day: '2026-10-01' }))).toBe(toMicros('0.1323'));
  });

  it('a tiered pair holds its highest tier; authentication_international its own rate, else the domestic one', async () => {
    const usd = (customer: string, category: string) =>
      price({ currency: 'USD', pricingModel: 'PMP', day: '2026-08-03', customer, category });
    expect(await usd('971501234567', 'utility')).toBe(toMicros('0.0157'));
    expect(await usd('919812345678', 'authentication_international')).toBe(toMicros('0.0304'));
    expect(await usd('919812345678', 'authentication')).toBe(toMicros('0.0014'));
    expect(await price(eur({ category: 'authentication_international' }))).toBe(toMicros('0.0456'));
  });

  it('before the first card of its currency and model, the first card; a card without the category, its highest rate', async () => {
    // The first EUR per-message card is of 2026-04-01 (Germany marketing 0.1131 there too).
    expect(await price(eur({ day: '2025-08-15' }))).toBe(toMicros('0.1131'));
    expect(await price(eur({ pricingModel: 'CBP', category: 'utility' }))).toBe(toMicros('0.123'));
  });

  it('no card of the currency at all: unpriced', async () => {
    expect(await price(eur({ currency: 'GBP' }))).toBeNull();
  });
});
