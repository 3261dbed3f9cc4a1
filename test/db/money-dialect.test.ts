/**
 * The SQL dialect the money code is written in, checked on every store (DuckDB, PGlite, a Postgres 15 server):
 * each construct the money plane relies on gives the same answer, so a statement written once runs on all three.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../worker/db/db.js';
import { openStore, STORE_KINDS, stopFileServer, describeOnStores } from '../helpers/store-kinds.js';

afterAll(stopFileServer);

describeOnStores('money SQL dialect: %s', STORE_KINDS, (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await openStore(kind);
  });
  afterAll(async () => db?.close());

  it('matches lists, tells an absent value from a typed one, and zips lists into rows', async () => {
    const params = { ids: ['a', 'b'], none: null };
    expect(
      await db.all(
        `SELECT 'a' = ANY($ids::VARCHAR[]) AS has_a, 'c' = ANY($ids::VARCHAR[]) AS has_c,
                  $none::VARCHAR IS NULL AS no_partner`,
        params,
      ),
    ).toEqual([{ has_a: true, has_c: false, no_partner: true }]);
    expect(
      await db.all(`SELECT unnest($w::VARCHAR[]) AS waba_id, CAST(unnest($m::VARCHAR[]) AS DATE) AS month`, {
        w: ['w1', 'w2'],
        m: ['2026-01-01', '2026-02-01'],
      }),
    ).toEqual([
      { waba_id: 'w1', month: '2026-01-01' },
      { waba_id: 'w2', month: '2026-02-01' },
    ]);
  });

  it('upserts, keeps the latest row per key, and numbers rows in the order they were sorted', async () => {
    await db.run('CREATE TABLE d_state (k VARCHAR PRIMARY KEY, v INTEGER NOT NULL)');
    await db.run('CREATE TABLE d_log (seq INTEGER, k VARCHAR, v INTEGER)');
    await db.run("INSERT INTO d_log VALUES (1, 'x', 1), (2, 'y', 2), (3, 'x', 3)");
    await db.run("INSERT INTO d_state VALUES ('x', 0)");
    await db.run(
      `INSERT INTO d_state SELECT DISTINCT ON (k) k, v FROM d_log ORDER BY k, seq DESC
         ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
    );
    expect(await db.all('SELECT k, v FROM d_state ORDER BY k')).toEqual([
      { k: 'x', v: 3 },
      { k: 'y', v: 2 },
    ]);
    await db.run('CREATE SEQUENCE d_seq START 1');
    await db.run('CREATE TABLE d_num (seq BIGINT, day DATE)');
    await db.run(
      `INSERT INTO d_num SELECT nextval('d_seq'), r.day
           FROM (SELECT CAST(d AS DATE) AS day FROM (SELECT unnest($days::VARCHAR[]) AS d) x ORDER BY d) r`,
      {
        days: Array.from({ length: 40 }, (_, i) =>
          new Date(Date.UTC(2026, 0, 40 - i)).toISOString().slice(0, 10),
        ),
      },
    );
    const rows = await db.all<{ day: string }>('SELECT day FROM d_num ORDER BY seq');
    expect(rows.map((r) => r.day)).toEqual([...rows.map((r) => r.day)].sort());
  });

  // json_array_elements is Postgres's; the DuckDB store has a table macro of that name (migration 080).
  it('reads a JSON array once as rows, and carries instants as epoch milliseconds both ways', async () => {
    const batch = JSON.stringify([
      { p: 'n1', c: 'wa "1"\u001e,', t: 1772368496789 },
      { p: 'n2', c: 'wa 2', t: null },
    ]);
    const rows = await db.all(
      `SELECT r.e ->> 'p' AS p, r.e ->> 'c' AS c, CAST(r.e ->> 't' AS BIGINT) AS t
           FROM json_array_elements($batch::JSON) AS r(e)`,
      { batch },
    );
    expect(rows).toEqual([
      { p: 'n1', c: 'wa "1"\u001e,', t: '1772368496789' },
      { p: 'n2', c: 'wa 2', t: null },
    ]);
    const [r] = await db.all(
      `SELECT to_timestamp(floor($ms::BIGINT / 1000.0)) + CAST($ms::BIGINT % 1000 AS INTEGER) * INTERVAL '1 millisecond'
                  AS ts,
                CAST(extract(epoch FROM $t::TIMESTAMPTZ) * 1000 AS BIGINT) AS ms,
                'mv_' || gen_random_uuid()::VARCHAR LIKE 'mv_%-%-%-%-%' AS uuid_ok,
                CAST(DATE '2026-01-31' + INTERVAL '1 month' AS DATE) AS next_month,
                CAST(CAST(date_trunc('month', DATE '2026-03-15') AS DATE) AS VARCHAR) AS month`,
      { ms: '4102444800001', t: '2026-03-01T12:34:56.789Z' },
    );
    expect(r).toEqual({
      ts: '2100-01-01 00:00:00.001+00',
      ms: '1772368496789',
      uuid_ok: true,
      next_month: '2026-02-28',
      month: '2026-03-01',
    });
  });
});
