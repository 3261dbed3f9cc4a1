/**
 * A table's metadata (estimate, as_of, data_through, notes, the range…) in the one flat string form every format
 * can carry: HTTP headers for CSV and Arrow (X-Table-<Name>), Arrow schema metadata and Parquet key-value
 * metadata. Strings stay as they are; other values are JSON. The column types travel too (`schema`), so a CSV
 * reader can type its columns without guessing.
 */
import type { ColumnarResult } from '../db/db.js';

export function tableMetadata(
  meta: Readonly<Record<string, unknown>>,
  result: Pick<ColumnarResult, 'names' | 'types'>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  out.schema = JSON.stringify(result.names.map((name, i) => ({ name, type: result.types[i] ?? 'VARCHAR' })));
  return out;
}

/** The metadata as response headers: `as_of` → `X-Table-As-Of`; values made header-safe (ASCII, one line). */
export function metadataHeaders(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    const name = k
      .split(/[_-]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('-');
    headers[`X-Table-${name}`] = headerSafe(v);
  }
  return headers;
}

/** Non-ASCII characters as \uXXXX escapes, line breaks as spaces. */
function headerSafe(v: string): string {
  return v
    .replace(/[\r\n]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
