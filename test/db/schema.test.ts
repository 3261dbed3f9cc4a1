/**
 * docs/schema.sql is the schema the migrations build, written out so a reader need not replay them: this
 * test migrates an in-memory DuckDB and compares its types, tables, columns, constraints and indexes with the
 * committed file. After a new migration: `UPDATE_SCHEMA=1 npx vitest run test/db/schema.test.ts`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import type { Queryable } from '../../worker/db/db.js';
import { DuckDbStore } from '../../worker/db/duckdb-store.js';

const SCHEMA_FILE = join(resolve(import.meta.dirname, '../..'), 'docs/schema.sql');

const HEADER = `-- The schema that worker/db/migrations/*.sql build, in one file for reading (generated and checked by
-- test/db/schema.test.ts; a change goes in a new migration, then this file is regenerated).
`;

/** The schema of a migrated store as SQL text, in a stable order. */
async function describeSchema(db: Queryable): Promise<string> {
  const out: string[] = [HEADER];
  const enums = await db.all<{ type_name: string }>(
    `SELECT type_name FROM duckdb_types() WHERE schema_name = 'main' AND NOT internal AND logical_type = 'ENUM'
      ORDER BY type_name`,
  );
  for (const { type_name } of enums) {
    const [row] = await db.all<{ members: string }>(
      `SELECT array_to_string(list_transform(enum_range(NULL::"${type_name}"), v -> '''' || v || ''''), ', ') AS members`,
    );
    out.push(`CREATE TYPE ${type_name} AS ENUM (${row?.members ?? ''});`);
  }
  const columns = await db.all<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: boolean;
    column_default: string | null;
  }>(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM duckdb_columns()
      WHERE schema_name = 'main' AND NOT internal AND table_name IN (SELECT table_name FROM duckdb_tables())
      ORDER BY table_name, column_index`,
  );
  const constraints = await db.all<{ table_name: string; constraint_text: string }>(
    `SELECT table_name, constraint_text FROM duckdb_constraints()
      WHERE schema_name = 'main' AND constraint_type NOT IN ('NOT NULL')
      ORDER BY table_name, constraint_text`,
  );
  const tables = [...new Set(columns.map((c) => c.table_name))];
  for (const t of tables) {
    const lines = columns
      .filter((c) => c.table_name === t)
      .map(
        (c) =>
          `  ${c.column_name} ${c.data_type}${c.is_nullable ? '' : ' NOT NULL'}` +
          (c.column_default === null ? '' : ` DEFAULT ${c.column_default}`),
      );
    for (const k of new Set(constraints.filter((c) => c.table_name === t).map((c) => c.constraint_text)))
      lines.push(`  ${k}`);
    out.push(`\nCREATE TABLE ${t} (\n${lines.join(',\n')}\n);`);
  }
  const indexes = await db.all<{ sql: string }>(
    `SELECT sql FROM duckdb_indexes() WHERE schema_name = 'main' ORDER BY table_name, index_name`,
  );
  if (indexes.length > 0) out.push('');
  for (const { sql } of indexes) out.push(sql);
  const views = await db.all<{ sql: string }>(
    `SELECT sql FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal ORDER BY view_name`,
  );
  for (const { sql } of views) out.push(`\n${sql}`);
  return `${out.join('\n')}\n`;
}

it('docs/schema.sql is the schema the migrations build', async () => {
  const db = await DuckDbStore.open({ path: ':memory:', readers: 1 });
  try {
    const actual = await describeSchema(db);
    if (process.env.UPDATE_SCHEMA === '1') await writeFile(SCHEMA_FILE, actual);
    expect(actual).toBe(await readFile(SCHEMA_FILE, 'utf8'));
  } finally {
    await db.close();
  }
});
