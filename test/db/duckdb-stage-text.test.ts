import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../worker/db/duckdb-store.js';

type Columns = Record<string, string[]>;

describe('worker/db/duckdb-stage-text: columns of text into a temp table', () => {
  let db: DuckDbStore;
  beforeAll(async () => {
    db = await DuckDbStore.open({ path: ':memory:', onEffectError: () => undefined });
  });
  afterAll(async () => db.close());

  /** The staged table in row order, each row as its values (null for NULL). */
  async function staged(columns: Columns): Promise<(string | null)[][]> {
    await db.transaction(async (tx) => {
      await tx.stageText!('st', columns);
      await tx.run('CREATE OR REPLACE TABLE st_copy AS SELECT row_number() OVER () AS n, * FROM temp.st');
    });
    const names = Object.keys(columns);
    const rows = await db.all<Record<string, string | null>>('SELECT * FROM st_copy ORDER BY n');
    const types = await db.all<{ t: string }>(
      `SELECT data_type AS t FROM information_schema.columns WHERE table_name = 'st_copy' AND column_name <> 'n' ORDER BY ordinal_position`,
    );
    expect(types.map((t) => t.t)).toEqual(names.map(() => 'VARCHAR'));
    return rows.map((r) => names.map((c) => r[c] ?? null));
  }

  const expected = (columns: Columns) => {
    const names = Object.keys(columns);
    const rows = Math.max(0, columns[names[0]!]?.length ?? 0);
    return Array.from({ length: rows }, (_, r) => names.map((c) => (columns[c]![r] ?? '') || null));
  };

  it('keeps every value, in order, and stores the empty string as NULL', async () => {
    const n = 5000;
    const columns: Columns = {
      line: Array.from({ length: n }, (_, i) => String(i + 1)),
      wamid: Array.from({ length: n }, (_, i) => `wamid.${i}`),
      note: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? '' : `a,b;"c"\n\\ ${i} é`)),
    };
    expect(await staged(columns)).toEqual(expected(columns));
  });

  it('stages one row, an empty value alone, and no rows at all', async () => {
    expect(await staged({ a: ['x'], b: [''] })).toEqual([['x', null]]);
    expect(await staged({ a: [], b: [] })).toEqual([]);
  });

  it('stages values that hold the separator, and columns of unequal length, as the appender does', async () => {
    const columns: Columns = { a: ['1', 'x\x1fy', '3'], b: ['p', '', 'r'] };
    expect(await staged(columns)).toEqual(expected(columns));
    const ragged: Columns = { a: ['1', '2', '3'], b: ['p'] };
    expect(await staged(ragged)).toEqual([
      ['1', 'p'],
      ['2', null],
      ['3', null],
    ]);
  });
});
