/**
 * Content negotiation for tabular answers: JSON (default), CSV and Arrow IPC stream. Parquet is offered where the
 * host can write files (Node), through the `parquet` hook of the caller. CSV, Arrow and Parquet carry the same
 * typed columns and the same metadata (see table-meta.ts); JSON keeps its own envelope.
 */
import type { Context } from 'hono';
import type { ColumnarResult, Row } from '../db/db.js';
import { NotAcceptableError } from '../errors.js';
import { toTypedArrowIpc } from './arrow-typed.js';
import { metadataHeaders, tableMetadata } from './table-meta.js';

export const CSV_TYPE = 'text/csv; charset=utf-8; header=present';
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

/** One CSV line of a row, without its line break. */
export function csvLine(names: readonly string[], row: Row): string {
  return names.map((n) => csvCell(row[n])).join(',');
}

export function csvHeader(names: readonly string[]): string {
  return names.map(csvCell).join(',');
}

export function toCsv(names: readonly string[], rows: readonly Row[]): string {
  const lines = [csvHeader(names)];
  for (const r of rows) lines.push(csvLine(names, r));
  return lines.join('\n') + '\n';
}

export interface TableResponseOptions {
  /** Extra top-level JSON fields (unit notes, as_of, currency…); the other formats carry them as metadata. */
  readonly meta?: Record<string, unknown>;
  readonly filename: string;
  /** Writes Parquet bytes with the metadata as key-value metadata; present only on hosts that can (Node). */
  readonly parquet?: (metadata: Readonly<Record<string, string>>) => Promise<Uint8Array>;
  /** Rows for the JSON body when they differ from the typed rows (e.g. months as 'YYYY-MM'). */
  readonly jsonRows?: readonly Row[];
}

export async function respondTable(
  c: Context,
  result: ColumnarResult,
  opts: TableResponseOptions,
): Promise<Response> {
  const format = pickFormat(c);
  c.header('Vary', 'Accept');
  if (format === 'json') return c.json({ ...opts.meta, rows: opts.jsonRows ?? result.rows });
  const metadata = tableMetadata(opts.meta ?? {}, result);
  for (const [k, v] of Object.entries(metadataHeaders(metadata))) c.header(k, v);
  if (format === 'csv') {
    c.header('Content-Disposition', `inline; filename="${opts.filename}.csv"`);
    return c.body(toCsv(result.names, result.rows), 200, {
      'Content-Type': CSV_TYPE,
    });
  }
  if (format === 'arrow') {
    return c.body(toTypedArrowIpc(result, metadata) as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': ARROW_STREAM,
    });
  }
  if (!opts.parquet) throw new NotAcceptableError(SUPPORTED.filter((s) => s !== PARQUET));
  c.header('Content-Disposition', `attachment; filename="${opts.filename}.parquet"`);
  return c.body((await opts.parquet(metadata)) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': PARQUET });
}
