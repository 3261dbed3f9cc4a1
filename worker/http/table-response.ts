/**
 * Content negotiation for tabular answers: JSON (default), CSV and Arrow IPC stream. Parquet is offered where the
 * host can write files (Node), through the `parquet` hook of the caller.
 */
import type { Context } from 'hono';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { ColumnarResult, Row } from '../db/db.js';
import { NotAcceptableError } from '../errors.js';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';
export const PARQUET = 'application/vnd.apache.parquet';
export type TableFormat = 'json' | 'csv' | 'arrow' | 'parquet';
const SUPPORTED = ['application/json', 'text/csv', ARROW_STREAM, PARQUET];

/** Picks the representation from `?format=` or the Accept header. */
export function pickFormat(c: Context): TableFormat {
  const q = c.req.query('format');
  if (q) {
    if (q === 'json' || q === 'csv' || q === 'arrow' || q === 'parquet') return q;
    throw new NotAcceptableError(SUPPORTED);
  }
  const accept = (c.req.header('accept') ?? '*/*').toLowerCase();
  const ranked = accept
    .split(',')
    .map((part, i) => {
      const [type = '', ...params] = part.trim().split(';');
      const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: qp ? Number(qp.slice(2)) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { type } of ranked) {
    if (
      type === 'application/json' ||
      type === 'application/*' ||
      type === '*/*' ||
      type === 'application/problem+json'
    )
      return 'json';
    if (type === 'text/csv' || type === 'text/*') return 'csv';
    if (type === ARROW_STREAM) return 'arrow';
    if (type === PARQUET || type === 'application/x-parquet') return 'parquet';
  }
  throw new NotAcceptableError(SUPPORTED);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(names: readonly string[], rows: readonly Row[]): string {
  const lines = [names.map(csvCell).join(',')];
  for (const r of rows) lines.push(names.map((n) => csvCell(r[n])).join(','));
  return lines.join('\n') + '\n';
}

/**
 * Arrow IPC stream. Integer columns become Int64 (BigInt64Array), floats Float64, everything else Utf8 (money
 * stays an exact decimal string, as in JSON).
 */
export function toArrowIpc(result: ColumnarResult): Uint8Array {
  const arrays: Record<string, unknown> = {};
  result.names.forEach((name, i) => {
    const type = (result.types[i] ?? 'VARCHAR').toUpperCase();
    const values = result.rows.map((r) => r[name]);
    if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT)$/.test(type)) {
      arrays[name] = BigInt64Array.from(values, (v) => BigInt(v === null || v === undefined ? 0 : String(v)));
    } else if (/^(FLOAT|DOUBLE|REAL)$/.test(type)) {
      arrays[name] = Float64Array.from(values, (v) =>
        v === null || v === undefined ? Number.NaN : Number(v),
      );
    } else if (type === 'BOOLEAN') {
      arrays[name] = values.map((v) => (v === null || v === undefined ? null : Boolean(v)));
    } else {
      arrays[name] = values.map((v) =>
        v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v),
      );
    }
  });
  return tableToIPC(tableFromArrays(arrays as Parameters<typeof tableFromArrays>[0]), 'stream');
}

export interface TableResponseOptions {
  /** Extra top-level JSON fields (unit notes, as_of, currency…); CSV/Arrow carry only the rows. */
  readonly meta?: Record<string, unknown>;
  readonly filename: string;
  /** Writes Parquet bytes; present only on hosts that can (Node). */
  readonly parquet?: () => Promise<Uint8Array>;
}

export async function respondTable(
  c: Context,
  result: ColumnarResult,
  opts: TableResponseOptions,
): Promise<Response> {
  const format = pickFormat(c);
  c.header('Vary', 'Accept');
  if (format === 'csv') {
    c.header('Content-Disposition', `inline; filename="${opts.filename}.csv"`);
    return c.body(toCsv(result.names, result.rows), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  }
  if (format === 'arrow') {
    return c.body(toArrowIpc(result) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': ARROW_STREAM });
  }
  if (format === 'parquet') {
    if (!opts.parquet) throw new NotAcceptableError(SUPPORTED.filter((s) => s !== PARQUET));
    c.header('Content-Disposition', `attachment; filename="${opts.filename}.parquet"`);
    return c.body((await opts.parquet()) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': PARQUET });
  }
  return c.json({ ...opts.meta, rows: result.rows });
}
