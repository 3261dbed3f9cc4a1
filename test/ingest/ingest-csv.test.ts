import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { rec, toCsv } from './fixtures.js';

const post = (h: Harness, token: string, body: string, type = 'text/csv') =>
  h.json('POST', '/v1/ingest', { token, body, headers: { 'content-type': type } });

describe('worker/ingest CSV', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1', 'P2']);
  });
  afterAll(() => h.close());

  it('loads records, registers an unknown number and answers the counts', async () => {
    const body = toCsv([
      rec('c1'),
      rec('c2', { phone_number_id: 'P9', opened_at: '1710093600' }),
      rec('c3', { category: 'service', opened_at: '2024-04-01T06:59:00Z' }),
    ]);
    const r = await post(h, key, body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ format: 'csv', rows: 3, inserted: 3, updated: 0, duplicates: 0 });
    expect(r.body.batch_id).toMatch(/^ib_/);
    // 2024-04-01T06:59Z is still 23:59 on March 31 in Los Angeles (PDT, UTC-7).
    expect(r.body.months_recomputed).toEqual([{ waba_id: 'W1', month: '2024-03-01' }]);
    const units = await h.db.all<{
      unit_id: string;
      opened_at: string;
      local_month: string;
      is_paid: boolean;
    }>(
      `SELECT unit_id, strftime(opened_at, '%Y-%m-%dT%H:%M:%SZ') AS opened_at,
              strftime(local_month, '%Y-%m') AS local_month, is_paid FROM units ORDER BY unit_id`,
    );
    expect(units).toEqual([
      { unit_id: 'c1', opened_at: '2024-03-10T18:00:00Z', local_month: '2024-03', is_paid: true },
      { unit_id: 'c2', opened_at: '2024-03-10T18:00:00Z', local_month: '2024-03', is_paid: true },
      { unit_id: 'c3', opened_at: '2024-04-01T06:59:00Z', local_month: '2024-03', is_paid: false },
    ]);
    const phone = await h.db.all('SELECT waba_id FROM phone_numbers WHERE phone_number_id = $p', { p: 'P9' });
    expect(phone).toEqual([{ waba_id: 'W1' }]);
    const batches = await h.db.all('SELECT format, rows_in, rows_new FROM ingest_batches');
    expect(batches).toEqual([{ format: 'csv', rows_in: '3', rows_new: '3' }]);
  });

  it('adds nothing when the same batch is sent again', async () => {
    const body = toCsv([rec('c1'), rec('c2', { phone_number_id: 'P9', opened_at: '1710093600' })]);
    const r = await post(h, key, body);
    expect(r.body).toMatchObject({ rows: 2, inserted: 0, updated: 0, duplicates: 2 });
    expect(r.body.months_recomputed).toEqual([]);
    const [n] = await h.db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM units');
    expect(n?.n).toBe(3);
  });

  it('updates a unit whose record changed and recomputes its old and new month', async () => {
    const r = await post(
      h,
      key,
      toCsv([rec('c1', { opened_at: '2024-02-20T10:00:00Z' }), rec('c4'), rec('c4')]),
    );
    expect(r.body).toMatchObject({ rows: 3, inserted: 1, updated: 1, duplicates: 1 });
    expect(r.body.months_recomputed).toEqual([
      { waba_id: 'W1', month: '2024-02-01' },
      { waba_id: 'W1', month: '2024-03-01' },
    ]);
    const [u] = await h.db.all(`SELECT strftime(local_month, '%Y-%m') AS m FROM units WHERE unit_id = 'c1'`);
    expect(u).toEqual({ m: '2024-02' });
  });

  it('keeps the last record when one batch repeats a unit_id with changes', async () => {
    const rows = [
      rec('d1', { category: 'utility' }),
      rec('d2'),
      rec('d1', { category: 'authentication' }),
      rec('d1', { category: 'service' }),
      rec('d2'),
    ];
    const r = await post(h, key, toCsv(rows));
    expect(r.body).toMatchObject({ rows: 5, inserted: 2, updated: 0, duplicates: 3 });
    const got = await h.db.all(
      `SELECT unit_id, category FROM units WHERE unit_id IN ('d1', 'd2') ORDER BY 1`,
    );
    expect(got).toEqual([
      { unit_id: 'd1', category: 'service' },
      { unit_id: 'd2', category: 'marketing' },
    ]);
  });
});
