/**
 * A first page of a usage or charges table read whole while the request's scope is checked, when the scope is
 * known before the check (numbers named) and the page is small: the answer is then streamed from memory, and a
 * request costs one DuckDB round trip instead of two in a row. The read runs on its own reader and holds it only
 * while it runs, so nothing waits on a streamed answer; a page larger than READ_AHEAD_ROWS is read again as a
 * stream. Rows of numbers the caller may not see are read only to be dropped with the 404.
 */
import type { ColumnarResult, ColumnarStream, SqlParams } from '../db/db.js';
import { buildTableQuery, type TableQuery } from './table-query.js';

/** The most rows a page read ahead may hold (a larger one is streamed). */
export const READ_AHEAD_ROWS = 10_000;

/**
 * The read of the first page (no cursor): the page and one row more when it has a size (what tells whether
 * another page follows), else at most READ_AHEAD_ROWS + 1 rows; null when the page is larger than that.
 */
export function readAheadQuery(
  base: Omit<TableQuery, 'limit' | 'offset'>,
  limit: number | null,
): { sql: string; params: SqlParams } | null {
  if (limit !== null && limit >= READ_AHEAD_ROWS) return null;
  return buildTableQuery({ ...base, limit: (limit ?? READ_AHEAD_ROWS) + 1, offset: 0 });
}

/**
 * The rows read ahead as a stream, or null when they are not the whole answer the stream would give: a page
 * without a size that filled READ_AHEAD_ROWS + 1 rows. `limit` is the one given to readAheadQuery.
 */
export function readAheadStream(result: ColumnarResult, limit: number | null): ColumnarStream | null {
  if (limit === null && result.rows.length > READ_AHEAD_ROWS) return null;
  let rows: ColumnarResult['rows'] | null = result.rows;
  return {
    names: result.names,
    types: result.types,
    next() {
      const chunk = rows;
      rows = null;
      return Promise.resolve(chunk);
    },
    close() {
      rows = null;
    },
  };
}
