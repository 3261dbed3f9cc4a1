/**
 * Reads reuse prepared statements per reader connection (worker/db/prepared-cache.ts): the same text with new
 * values must answer for those values, a value left out must still fail, more statements than the cache keeps
 * must still answer, a streamed read must reuse them too, and a text of several statements runs unprepared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../worker/db/duckdb-store.js';

describe('prepared statements of the readers', () => {
  let db: DuckDbStore;
  beforeAll(async () => {
    db = await DuckDbStore.open({ path: ':memory:' });
    await db.run('CREATE TABLE t AS SELECT i, i * 2 AS d FROM range(10) r(i)');
  });
  afterAll(() => db.close());

  const SQL = 'SELECT d FROM t WHERE i = $i';

  it('answers each run for its own values', async () => {
    for (let i = 0; i < 10; i++) {
      const rows = await db.all<{ d: string }>(SQL, { i });
      expect(rows.map((r) => Number(r.d))).toEqual([i * 2]);
    }
    const listed = await db.all<{ i: string }>(
      'SELECT i FROM t WHERE list_contains($ids, CAST(i AS VARCHAR)) ORDER BY i',
      { ids: ['3', '5'] },
    );
    expect(listed.map((r) => Number(r.i))).toEqual([3, 5]);
    const none = await db.all('SELECT i FROM t WHERE list_contains($ids, CAST(i AS VARCHAR))', { ids: [] });
    expect(none).toEqual([]);
  });

  it('does not keep the values of an earlier run', async () => {
    await db.all(SQL, { i: 1 });
    await db.all(SQL, { i: 1 });
    await expect(db.all(SQL)).rejects.toThrow();
    await expect(db.all(SQL, {})).rejects.toThrow();
  });

  it('keeps answering past the number of statements it keeps', async () => {
    for (let k = 0; k < 150; k++) {
      const rows = await db.all<{ v: string }>(`SELECT d + ${k} AS v FROM t WHERE i = $i`, { i: k % 10 });
      expect(Number(rows[0]?.v)).toBe((k % 10) * 2 + k);
    }
    expect(await db.all<{ d: string }>(SQL, { i: 4 })).toEqual([{ d: '8' }]);
  });

  it('streams a prepared read with its values, again and again', async () => {
    for (const i of [2, 7, 2]) {
      const s = await db.streamColumns(SQL, { i });
      const rows = [];
      for (let chunk = await s.next(); chunk !== null; chunk = await s.next()) rows.push(...chunk);
      expect(rows).toEqual([{ d: String(i * 2) }]);
    }
  });

  it('sees rows and columns written after a statement was prepared', async () => {
    const count = 'SELECT count(*) AS n FROM t WHERE i >= $i';
    expect(await db.all(count, { i: 0 })).toEqual([{ n: '10' }]);
    await db.run('INSERT INTO t VALUES (10, 20)');
    expect(await db.all(count, { i: 0 })).toEqual([{ n: '11' }]);
    expect(await db.all(count, { i: 0 })).toEqual([{ n: '11' }]);
    await db.run('ALTER TABLE t ADD COLUMN e INTEGER DEFAULT 5');
    expect(await db.all('SELECT * FROM t WHERE i = $i', { i: 10 })).toEqual([{ i: '10', d: '20', e: 5 }]);
    expect(await db.all('SELECT * FROM t WHERE i = $i', { i: 10 })).toEqual([{ i: '10', d: '20', e: 5 }]);
  });

  it('runs a text of several statements unprepared, as before', async () => {
    // DuckDB's unprepared query answers with one of them (the first); preparing would refuse the text.
    const rows = await db.all<{ x: number }>('SELECT 1 AS x; SELECT 2 AS x');
    expect(rows).toEqual([{ x: 1 }]);
  });
});
