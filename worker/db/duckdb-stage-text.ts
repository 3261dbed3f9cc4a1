/**
 * Puts columns of text into a new temp table of VARCHAR columns ('' stored as NULL), for the bulk paths of the
 * ingest (Queryable.stageText). Each column is bound as one string DuckDB splits on its own threads: handing
 * DuckDB the values one by one (an appender, or a bound list) is a synchronous call per value on the event loop,
 * ~100 ms for 10,000 webhook events of 16 columns, while every request waits. A column a value of which holds
 * the separator goes through the appender, in slices that give the event loop a turn.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** Unit separator: not in ids, timestamps or numbers; a value that holds it takes the appender. */
const SEP = '\x1f';

/** Appending between two turns of the event loop, ms. */
const APPEND_SLICE_MS = 4;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Each column as one string of its values joined by SEP, or null when a value holds SEP or lengths differ. */
function joinedColumns(values: readonly (readonly string[])[], rows: number): string[] | null {
  const joined: string[] = [];
  for (const col of values) {
    if (col.length !== rows) return null;
    const text = col.join(SEP);
    let seps = 0;
    for (let i = text.indexOf(SEP); i >= 0; i = text.indexOf(SEP, i + 1)) seps++;
    if (seps !== rows - 1) return null;
    joined.push(text);
  }
  return joined;
}

async function append(
  conn: DuckDBConnection,
  name: string,
  values: readonly (readonly string[])[],
  rows: number,
): Promise<void> {
  const appender = await conn.createAppender(name, null, 'temp');
  try {
    let since = performance.now();
    for (let r = 0; r < rows; r++) {
      for (const col of values) {
        const v = col[r] ?? '';
        if (v === '') appender.appendNull();
        else appender.appendVarchar(v);
      }
      appender.endRow();
      if ((r & 255) === 255 && performance.now() - since > APPEND_SLICE_MS) {
        await turn();
        since = performance.now();
      }
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

export async function stageTextOn(
  conn: DuckDBConnection,
  name: string,
  columns: Readonly<Record<string, readonly string[]>>,
): Promise<void> {
  const names = Object.keys(columns);
  const values = names.map((c) => columns[c] ?? []);
  const rows = values[0]?.length ?? 0;
  const joined = rows > 0 && names.length > 0 ? joinedColumns(values, rows) : null;
  if (joined) {
    const split = names.map((_, i) => `unnest(string_split($${i + 1}, chr(31))) AS c${i}`).join(', ');
    const typed = names.map((c, i) => `CAST(NULLIF(c${i}, '') AS VARCHAR) AS "${c}"`).join(', ');
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${name} AS SELECT ${typed} FROM (SELECT ${split})`, joined);
    return;
  }
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${name} (${names.map((c) => `"${c}" VARCHAR`).join(', ')})`);
  await append(conn, name, values, rows);
}
