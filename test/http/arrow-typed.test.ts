/**
 * Arrow answers keep DuckDB's types: a NULL of any type is NULL (an integer NULL is not 0), money is Decimal128
 * with its scale (never a dictionary of strings), and values survive exactly — read back with apache-arrow from
 * a real DuckDB result, and end to end from the charges of a unit no card priced.
 */
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { toTypedArrowIpc } from '../../worker/http/arrow-typed.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { rec, toCsv } from '../ingest/fixtures.js';

describe('worker/http/arrow-typed', () => {
  let db: DuckDbStore;
  beforeAll(async () => {
    db = await openStore({ path: ':memory:' }, new Date());
  });
  afterAll(() => db.close());

  it('keeps NULL as NULL in every type and money as exact Decimal128', async () => {
    const result = await db.columns(
      `SELECT * FROM (VALUES
         (CAST(7 AS BIGINT), CAST(3 AS INTEGER), CAST('-12.345678' AS DECIMAL(18, 6)), DATE '2025-08-01',
          TIMESTAMPTZ '2025-08-01 10:00:00.123456+00', 1.5::DOUBLE, true, 'x'),
         (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
         (CAST(0 AS BIGINT), CAST(0 AS INTEGER), CAST('999999999999.999999' AS DECIMAL(18, 6)), DATE '2014-01-01',
          TIMESTAMPTZ '2100-12-31 23:59:59+00', 0::DOUBLE, false, '')
       ) t(n, i, amount, day, instant, x, ok, s)`,
    );
    const table = tableFromIPC(toTypedArrowIpc(result, { as_of: 'now' }));
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Int64',
      'Int64',
      'Decimal[18e+6]',
      'Date32<DAY>',
      'Timestamp<MICROSECOND, UTC>',
      'Float64',
      'Bool',
      'Utf8',
    ]);
    expect(table.schema.metadata.get('as_of')).toBe('now');
    for (const f of table.schema.fields) {
      const col = table.getChild(f.name)!;
      expect(col.get(1), `${f.name} NULL`).toBeNull();
      expect(col.nullCount, f.name).toBe(1);
    }
    // Zeros are values, not NULLs: the other rows hold no null at all.
    expect(table.getChild('n')!.get(2)).toBe(0n);
    expect(table.getChild('n')!.get(0)).toBe(7n);
    const words = (i: number) => table.getChild('amount')!.get(i) as Uint32Array;
    const decimal = (w: Uint32Array) =>
      BigInt.asIntN(
        128,
        [...w].reduce((acc, x, k) => acc | (BigInt(x) << BigInt(32 * k)), 0n),
      );
    expect(decimal(words(0))).toBe(-12_345_678n);
    expect(decimal(words(2))).toBe(999_999_999_999_999_999n);
  });

  describe('an answer over HTTP', () => {
    let h: Harness;
    let key: string;
    beforeAll(async () => {
      h = await createHarness({ now: '2025-08-15T12:00:00Z' });
      key = await h.partner('acme');
      await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Berlin', currency: 'EUR' }, ['P1']);
      const common = {
        pricing_model: 'PMP',
        unit: 'message',
        waba_timezone: 'Europe/Berlin',
        currency: 'EUR',
        recipient_wa_id: '4915112345678',
      };
      // One unit priced by its own rate, one with no rate and no card: unpriced, its amount NULL.
      const rows = [
        rec('a1', { ...common, opened_at: '2025-08-01T10:00:00Z', rate: '0.125' }),
        rec('a2', { ...common, opened_at: '2025-08-02T10:00:00Z', rate: '' }),
      ];
      const r = await h.json('POST', '/v1/ingest', {
        token: key,
        body: toCsv(rows),
        headers: { 'content-type': 'text/csv' },
      });
      expect(r.status).toBe(200);
    });
    afterAll(() => h.close());

    it('charges: the unpriced day is NULL, the priced one an exact decimal, counts 64-bit', async () => {
      const path = '/v1/charges?phone_number_id=P1&from=2025-08-01&to=2025-08-31&granularity=day';
      const json = await h.json('GET', path, { token: key });
      expect(json.body.rows.map((r: { amount: string | null }) => r.amount)).toEqual(['0.125000', null]);
      const res = await h.call('GET', `${path}&format=arrow`, { token: key });
      const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
      const type = (name: string) => String(table.schema.fields.find((f) => f.name === name)?.type);
      expect(type('amount')).toBe('Decimal[18e+6]');
      expect(type('paid')).toBe('Int64');
      const amount = table.getChild('amount')!;
      expect(amount.get(1)).toBeNull();
      expect((amount.get(0) as Uint32Array)[0]).toBe(125_000);
      expect([...table.getChild('paid')!].map(Number)).toEqual([1, 1]);
    });
  });
});
