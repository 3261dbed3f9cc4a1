/** worker/kernel/sql-literal: string literals that DuckDB reads back as the exact text, quotes included. */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { sqlString, sqlStringList } from '../../worker/kernel/sql-literal.js';

describe('kernel/sql-literal', () => {
  it('doubles every quote', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlString("''")).toBe("''''''");
    expect(sqlStringList(['a', "b'c"])).toBe("'a', 'b''c'");
  });

  it('round-trips hostile text through DuckDB unchanged', async () => {
    const texts = ["it's", "'; DROP TABLE units; --", '\\', 'new\nline', "''", 'ünïcødé ✓', ''];
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(`SELECT unnest([${sqlStringList(texts)}]) AS t`);
      expect(reader.getRowObjects().map((r) => r.t)).toEqual(texts);
    } finally {
      conn.closeSync();
    }
  });
});
