/**
 * The DuckDB store's Parquet as text (Db.parquetOf, withParquetFiles), as the published usage uses it: a query's
 * rows written by one store come back in another with their exact values (DECIMAL to the micro-unit, DATE, NULL,
 * text with quotes and separators), and the files handed to the work are gone afterwards, also when it fails.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../worker/db/duckdb-store.js';

const gone = (paths: readonly string[]) => paths.every((p) => !existsSync(p) && !existsSync(dirname(p)));

describe('worker/db: Parquet as text between DuckDB stores', () => {
  const open: DuckDbStore[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  const store = async () => {
    const s = await DuckDbStore.open({ path: ':memory:' });
    open.push(s);
    return s;
  };

  it('carries the rows with their exact values and leaves no file behind', async () => {
    const [a, b] = [await store(), await store()];
    await a.run(`CREATE TABLE t (id VARCHAR, day DATE, amount DECIMAL(38, 6), n BIGINT, market VARCHAR)`);
    await a.run(
      `INSERT INTO t VALUES ('x,"1"' || chr(31) || chr(10), DATE '2026-11-01', 12345678901.000001, 9007199254740993, NULL),
                            ('y', DATE '2026-02-28', -0.000001, 0, 'DE')`,
    );
    const parquet = await a.parquetOf!('SELECT * FROM t WHERE day >= CAST($from AS DATE)', {
      from: '2026-01-01',
    });
    expect(parquet).toMatch(/^[A-Za-z0-9+/]+=*$/);
    let seen: readonly string[] = [];
    const back = await b.withParquetFiles!([parquet, parquet], async (paths) => {
      seen = paths;
      expect(paths).toHaveLength(2);
      return b.all(
        `SELECT id, day, amount, n, market FROM read_parquet($p) UNION ALL
         SELECT id, day, amount, n, market FROM read_parquet($q) ORDER BY ALL`,
        { p: paths[0]!, q: paths[1]! },
      );
    });
    const rows = await a.all('SELECT id, day, amount, n, market FROM t ORDER BY ALL');
    expect(back).toEqual([rows[0], rows[0], rows[1], rows[1]]);
    expect(rows[0]).toMatchObject({ amount: '12345678901.000001', n: '9007199254740993', market: null });
    expect(gone(seen)).toBe(true);
  });

  it('removes the files when the work fails', async () => {
    const a = await store();
    const parquet = await a.parquetOf!('SELECT 1 AS v');
    let seen: readonly string[] = [];
    await expect(
      a.withParquetFiles!([parquet], async (paths) => {
        seen = paths;
        expect(await a.all('SELECT v FROM read_parquet($p)', { p: paths[0]! })).toEqual([{ v: 1 }]);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(seen).toHaveLength(1);
    expect(gone(seen)).toBe(true);
    await expect(a.parquetOf!('SELECT * FROM no_such_table')).rejects.toThrow();
  });
});
