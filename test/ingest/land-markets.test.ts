/**
 * worker/ingest/land-markets: the market the landing derives per row from its tabulated lookup is the market
 * lookupMarket (the span SQL of pricing/market-sql.ts) gives the same number on the same local day — around every
 * effective date of the shipped table, for the longest-prefix exceptions and for numbers no prefix matches — and
 * a market table too large for the lookup leaves the check to settling with the same outcome. Real DuckDB, records
 * ingested over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketLookup } from '../../worker/ingest/land-markets.js';
import { lookupMarket } from '../../worker/pricing/market-sql.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const HEADER = 'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,market,category,opened_at';

/** Numbers across the table: one-digit keys, dated remaps, +1 exceptions, long exceptions, unknown prefixes. */
const NUMBERS = [
  '14155550101', // North America
  '18095551234', // +1 809: Rest of Latin America
  '4915112345678',
  '+4312345678',
  '6591234567', // Singapore from 2026-07-01
  '85291234567', // Hong Kong from 2026-07-01
  '88017123456', // Bangladesh from 2026-10-01
  '263771234567', // Zimbabwe: Other until 2025-10-01
  '77012345678', // Kazakhstan from 2026-10-01
  '79161234567', // Russia
  '380501234567', // Ukraine from 2026-10-01
  '98912345678', // no prefix: Other
  '80081234', // no prefix: Other
  '97225555555',
  '971501234567',
];

/** Instants either side of each effective date in the WABA's zone (UTC here: the day is the UTC day). */
const DAYS = [
  '2025-09-30T23:59:59Z',
  '2025-10-01T00:00:00Z',
  '2026-06-30T23:59:59Z',
  '2026-07-01T00:00:00Z',
  '2026-09-30T12:00:00Z',
  '2026-10-01T00:00:01Z',
  '2026-11-15T08:00:00Z',
];

/** Every record names a market no number has, so each one is corrected and counted. */
function batch(prefix: string): string {
  const lines = NUMBERS.flatMap((n, i) =>
    DAYS.map((d, j) => `${prefix}-${i}-${j},PMP,message,WM,PM,${n},Atlantis,marketing,${d}`),
  );
  return [HEADER, ...lines].join('\n') + '\n';
}

async function expectNumbersDecide(h: Harness, key: string, prefix: string): Promise<void> {
  const r = await h.json('POST', '/v1/ingest', {
    token: key,
    body: batch(prefix),
    headers: { 'content-type': 'text/csv' },
  });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({
    inserted: NUMBERS.length * DAYS.length,
    market_mismatch: NUMBERS.length * DAYS.length,
  });
  const rows = await h.db.all<{
    recipient_wa_id: string;
    day: string;
    market: string;
    market_reported: string;
  }>(
    `SELECT recipient_wa_id, strftime(local_day, '%Y-%m-%d') AS day, market, market_reported
       FROM units WHERE starts_with(unit_id, $p) ORDER BY unit_id`,
    { p: `${prefix}-` },
  );
  expect(rows).toHaveLength(NUMBERS.length * DAYS.length);
  for (const row of rows) {
    const expected = await lookupMarket(h.db, row.recipient_wa_id, row.day);
    expect({ number: row.recipient_wa_id, day: row.day, market: row.market }).toEqual({
      number: row.recipient_wa_id,
      day: row.day,
      market: expected.market,
    });
    expect(row.market_reported).toBe('Atlantis');
  }
}

describe('markets derived while landing', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await createHarness({ now: '2026-12-01T09:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'WM', timezone: 'UTC', currency: 'USD' }, ['PM']);
  });
  afterAll(() => h.close());

  it('match the span lookup around every effective date', async () => {
    await expectNumbersDecide(h, key, 'a');
    // Covered markets really differ across the dates (the test would not notice a lookup that ignored them).
    const sg = await h.db.all<{ market: string }>(
      `SELECT DISTINCT market FROM units WHERE recipient_wa_id = '6591234567' ORDER BY 1`,
    );
    expect(sg.map((r) => r.market)).toEqual(['Rest of Asia Pacific', 'Singapore']);
  });

  it('a record sent again, corrected the first time, is a duplicate', async () => {
    const r = await h.json('POST', '/v1/ingest', {
      token: key,
      body: batch('a'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(r.body).toMatchObject({ inserted: 0, updated: 0, market_mismatch: 0 });
    expect(r.body.duplicates).toBe(NUMBERS.length * DAYS.length);
  });

  it('follow a change of the market table between two batches of one process', async () => {
    // The tabulation is kept between batches: a new prefix must reach the very next batch.
    await h.db.run(`INSERT INTO market_prefixes (prefix, country, market) VALUES ('9891', 'IR', 'Turkey')`);
    await expectNumbersDecide(h, key, 'c');
    const moved = await h.db.all<{ market: string }>(
      `SELECT DISTINCT market FROM units WHERE recipient_wa_id = '98912345678' ORDER BY 1`,
    );
    expect(moved.map((r) => r.market)).toEqual(['Other', 'Turkey']);
  });

  it('are checked by settling instead when the table is too large to tabulate, with the same markets', async () => {
    // A seven-digit prefix under the one-digit '1' would need ten million keys: no lookup is built.
    await h.db.run(
      `INSERT INTO market_prefixes (prefix, country, market) VALUES ('4915112', 'DE', 'Germany')`,
    );
    expect(await h.db.transaction((tx) => marketLookup(tx))).toBeNull();
    await expectNumbersDecide(h, key, 'b');
  });
});
