/**
 * Where a batch of billing-unit records comes from, as SQL: a SELECT giving every §9.2 column as VARCHAR (NULL
 * when absent), in input order. Files are read by DuckDB itself (read_csv / read_json /
 * read_parquet, no sniffing); column arrays (decoded Arrow) are bound as lists and unnested. The same source is
 * read once on the fast path (typed straight away) and, only for a bad batch, again to name each issue.
 */
import type { Queryable, SqlParams } from '../db/db.js';
import { BatchRejectedError, type InputIssue } from '../errors.js';
import type { UnitFormat } from './ingest-format.js';
import { REQUIRED_COLUMNS, UNIT_COLUMNS, type UnitColumn } from './unit-columns.js';
import { sqlString } from '../kernel/sql-literal.js';

export const STAGE_TABLE = 'ingest_stage';

/** Column values as strings; '' stands for a missing value. All arrays have the same length. */
export type StagedColumns = Partial<Record<UnitColumn, readonly string[]>>;

export interface RawSource {
  /** SELECT <UNIT_COLUMNS as VARCHAR> … in input order (stageRaw numbers the lines). */
  readonly sql: string;
  readonly params?: SqlParams;
}

const known = new Set<string>(UNIT_COLUMNS);

function selectList(present: ReadonlySet<string>, expr: (c: UnitColumn) => string): string {
  return UNIT_COLUMNS.map((c) => (present.has(c) ? `${expr(c)} AS ${c}` : `NULL::VARCHAR AS ${c}`)).join(
    ', ',
  );
}

/** The longest line (CSV) or record (NDJSON) read; longer ones are refused by name, not read into memory. */
export const MAX_LINE_BYTES = 1_048_576;

const rejected = (issue: InputIssue) =>
  new BatchRejectedError('The batch could not be parsed; nothing was written.', [issue], { total_issues: 1 });

/**
 * The 422 for an error of DuckDB's file readers (the input is malformed), naming line and cause where the reader
 * gives them; null for any other error, which is ours and must surface as a 500 with its SQL logged.
 */
export function readerFailure(format: UnitFormat, err: unknown): BatchRejectedError | null {
  const msg = err instanceof Error ? err.message : String(err);
  const what = `malformed ${format.toUpperCase()}`;
  const csv = /CSV Error on Line: (\d+)/.exec(msg);
  if (csv) {
    const line = Number(csv[1]) - 1; // the parser counts the header line
    if (/Maximum line size/.test(msg))
      return rejected({ line, reason: `${what}: the line is longer than ${MAX_LINE_BYTES} bytes` });
    if (/Invalid unicode/i.test(msg))
      return rejected({ line, reason: `${what}: the line is not valid UTF-8` });
    const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(msg);
    if (columns)
      return rejected({
        line,
        reason: `${what}: the line has ${columns[2]} fields where the header names ${columns[1]}`,
      });
    if (/unterminated quote/.test(msg))
      return rejected({ line, reason: `${what}: a quoted value is not closed` });
    return rejected({ line, reason: what });
  }
  const json = /Malformed JSON .* in line (\d+): ([^.\n]*)/.exec(msg);
  if (json) {
    // DuckDB reports one past the record that failed
    return rejected({ line: Number(json[1]) - 1, reason: `${what}: ${json[2]}` });
  }
  if (/maximum_object_size/.test(msg))
    return rejected({ reason: `${what}: a record is longer than ${MAX_LINE_BYTES} bytes` });
  if (/JSON/.test(msg) && /Invalid Input Error/.test(msg))
    return rejected({ reason: `${what}: ${firstLine(msg)}` });
  if (format === 'parquet' && /parquet|magic bytes|Invalid Input Error|IO Error/i.test(msg))
    return rejected({ reason: `${what}: ${firstLine(msg)}` });
  return null;
}

/** The first line of a reader message, without the file path it quotes (a server temp path). */
const firstLine = (msg: string) =>
  (msg.split('\n')[0] ?? '')
    .replace(/"[^"]*"/g, '')
    .replace(/'[^']*'/g, '')
    .slice(0, 200);

/** readerFailure, or the error itself (unexpected: it is logged with its SQL and answered 500). */
export function parseFailure(format: UnitFormat, err: unknown): unknown {
  return readerFailure(format, err) ?? err;
}

function rejectMissing(present: ReadonlySet<string>): void {
  const issues = REQUIRED_COLUMNS.filter((c) => !present.has(c)).map((c) => ({
    column: c,
    reason: 'required column is missing',
  }));
  if (issues.length)
    throw new BatchRejectedError('Required columns are missing; nothing was written.', issues, {
      total_issues: issues.length,
    });
}

/** The raw source of a file DuckDB can read. CSV needs its header line (read by the caller): nothing is sniffed. */
export async function fileSource(
  tx: Queryable,
  path: string,
  format: 'csv' | 'ndjson' | 'parquet',
  csvHeader?: readonly string[],
): Promise<RawSource> {
  const file = sqlString(path);
  let from: string;
  let present: Set<string>;
  if (format === 'csv') {
    const header = csvHeader ?? [];
    const dup = header.find((h, i) => known.has(h) && header.indexOf(h) !== i);
    if (dup)
      throw new BatchRejectedError('The CSV header names a column twice.', [
        { line: 0, column: dup, reason: 'duplicate column' },
      ]);
    present = new Set(header.filter((h) => known.has(h)));
    rejectMissing(present);
    // Unknown header columns are read under placeholder names and ignored.
    const cols = header.map((h, i) => `${sqlString(known.has(h) ? h : `_extra_${i}`)}: 'VARCHAR'`).join(', ');
    from = `read_csv(${file}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                     strict_mode = true, max_line_size = ${MAX_LINE_BYTES}, columns = {${cols}})`;
  } else if (format === 'ndjson') {
    present = new Set(UNIT_COLUMNS);
    const cols = UNIT_COLUMNS.map((c) => `${c}: 'VARCHAR'`).join(', ');
    from = `read_json(${file}, format = 'newline_delimited', maximum_object_size = ${MAX_LINE_BYTES},
                      columns = {${cols}})`;
  } else {
    let names: string[];
    try {
      names = (await tx.all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet(${file})`)).map(
        (r) => r.column_name,
      );
    } catch (err) {
      throw parseFailure(format, err);
    }
    present = new Set(names.filter((n) => known.has(n)));
    rejectMissing(present);
    from = `read_parquet(${file})`;
  }
  // An empty value is a missing one in every format, as it is in CSV (read_csv reads an empty field as NULL).
  const expr = (c: string) =>
    format === 'parquet'
      ? `NULLIF(CAST("${c}" AS VARCHAR), '')`
      : format === 'ndjson'
        ? `NULLIF(${c}, '')`
        : c;
  return { sql: `SELECT ${selectList(present, expr)} FROM ${from}` };
}

export const COLUMNS_TABLE = 'ingest_columns';

/**
 * The raw source of column arrays (e.g. decoded Arrow IPC). Where the store can bulk-append, the columns go to a
 * temp table first: binding them as lists costs ~0.3 s per 400k values and column, and a scan of a table is read
 * in parallel. Otherwise they are bound as lists (columnsSource).
 */
export async function stagedColumnsSource(tx: Queryable, columns: StagedColumns): Promise<RawSource> {
  if (!tx.stageText) return columnsSource(columns);
  const present = UNIT_COLUMNS.filter((c) => c in columns);
  rejectMissing(new Set(present));
  await tx.stageText(COLUMNS_TABLE, Object.fromEntries(present.map((c) => [c, columns[c] ?? []])));
  return { sql: `SELECT ${selectList(new Set(present), (c) => c)} FROM temp.${COLUMNS_TABLE}` };
}

/** The raw source of column arrays (e.g. decoded Arrow IPC), bound as lists. */
export function columnsSource(columns: StagedColumns): RawSource {
  const present = new Set(Object.keys(columns).filter((c) => known.has(c)));
  rejectMissing(present);
  const params: Record<string, readonly string[]> = {};
  for (const c of present) params[c] = columns[c as UnitColumn] ?? [];
  return {
    sql: `SELECT ${selectList(present, (c) => `NULLIF(unnest($${c}), '')`)}`,
    params,
  };
}

/** Materialises the raw source as ingest_stage (the slow path that names every issue of a bad batch). */
export async function stageRaw(tx: Queryable, source: RawSource, format: UnitFormat): Promise<void> {
  try {
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} AS SELECT row_number() OVER () AS line, * FROM (${source.sql})`,
      source.params,
    );
  } catch (err) {
    throw parseFailure(format, err);
  }
}
