/**
 * Opaque page cursors of usage and charges tables: the offset of the next row and a fingerprint of the query it
 * belongs to, so a cursor used with other filters is refused rather than answering a wrong page. Rows are sorted
 * on every key, so pages follow one total order; rows added between two calls may shift a page boundary.
 */
import { ValidationError } from '../errors.js';

export function encodeCursor(offset: number, fingerprint: string): string {
  return btoa(JSON.stringify({ o: offset, f: fingerprint }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function decodeCursor(cursor: string | undefined, fingerprint: string): number {
  if (cursor === undefined) return 0;
  try {
    const json = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as {
      o?: unknown;
      f?: unknown;
    };
    if (typeof json.o === 'number' && Number.isInteger(json.o) && json.o >= 0 && json.f === fingerprint)
      return json.o;
  } catch {
    // falls through to the same answer as a cursor of another query
  }
  throw new ValidationError('The request query is not valid.', [
    { column: 'cursor', reason: 'is not a cursor of this query (same filters, grouping and limit)' },
  ]);
}

/** A short, stable fingerprint of the query parameters a cursor depends on. */
export function fingerprintOf(parts: readonly unknown[]): string {
  const text = JSON.stringify(parts);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(36);
}
