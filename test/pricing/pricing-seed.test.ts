/**
 * The shipped pricing data is seeded by the host when it opens the store (openStore), never by pricing itself:
 * a store opened through the host path holds it before anything is priced, and priceUnits on a store opened
 * without it writes no seed data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { priceUnits } from '../../worker/pricing/price-units.js';
import { PRICING_SEED_VERSION } from '../../worker/pricing/seed-pricing-data.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const NOW = new Date('2025-08-15T12:00:00Z');

async function seedTables(db: DuckDbStore) {
  const [row] = await db.all<{ seeds: string[]; markets: number; cards: number }>(
    `SELECT (SELECT list(version) FROM pricing_seed) AS seeds,
            (SELECT count(*) FROM market_prefixes)::INTEGER AS markets,
            (SELECT count(*) FROM rate_cards)::INTEGER AS cards`,
  );
  return { seeds: row?.seeds ?? [], markets: row?.markets ?? 0, cards: row?.cards ?? 0 };
}

describe('the pricing seed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('is in a store opened through the host path before anything is priced', async () => {
    const db = await openStore({ path: ':memory:' }, NOW);
    try {
      const t = await seedTables(db);
      expect(t.seeds).toEqual([PRICING_SEED_VERSION]);
      expect(t.markets).toBeGreaterThan(0);
      expect(t.cards).toBeGreaterThan(0);
      expect(await db.all('SELECT 1 FROM units')).toEqual([]);
    } finally {
      await db.close();
    }
    expect((await seedTables(h.db)).seeds).toEqual([PRICING_SEED_VERSION]);
  });

  it('is not written by priceUnits', async () => {
    const db = await DuckDbStore.open({ path: ':memory:' });
    try {
      await db.run(`INSERT INTO partners VALUES ('p', 'P', [], now())`);
      await db.run(
        `INSERT INTO wabas VALUES ('W', 'p', 'W', 'Asia/Kolkata', 'INR', DATE '2025-07-01', now(), NULL)`,
      );
      await db.run(
        `INSERT INTO units (unit_id, pricing_model, unit, waba_id, phone_number_id, recipient_wa_id, category,
                            opened_at, rate_in, ingested_at, local_day, local_month, regime, pricing_type,
                            is_counted, is_free, is_paid)
         VALUES ('u1', 'PMP', 'message', 'W', 'P1', '919812345678', 'utility', TIMESTAMPTZ '2025-08-02 10:00:00+00',
                 0.01, now(), DATE '2025-08-02', DATE '2025-08-01', 'R4', 'regular', true, false, true)`,
      );
      await db.transaction((tx) => priceUnits(tx, [{ waba_id: 'W', month: '2025-08-01' }]));
      expect(await seedTables(db)).toEqual({ seeds: [], markets: 0, cards: 0 });
    } finally {
      await db.close();
    }
  });
});
