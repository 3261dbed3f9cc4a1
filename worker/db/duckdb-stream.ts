/**
 * A DuckDB read handed over chunk by chunk (DuckDB's own vectors, about 2048 rows each) instead of materialised
 * whole. The connection's lock is held from the query until the last chunk or close(): a connection runs one
 * statement at a time, and any other statement on it would end this one's result.
 */
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { QueryError, type ColumnarStream, type Row } from './db.js';

export interface ConnectionLock {
  hold(): Promise<() => void>;
}

export async function openStream(
  conn: DuckDBConnection,
  lock: ConnectionLock,
  sql: string,
  bound: { values?: Record<string, DuckDBValue>; types?: Record<string, DuckDBType> },
): Promise<ColumnarStream> {
  const release = await lock.hold();
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    release();
  };
  const fail = (err: unknown): QueryError => {
    close();
    return new QueryError(err instanceof Error ? err.message : String(err), sql, { cause: err });
  };
  try {
    const result = await conn.stream(sql, bound.values, bound.types);
    const chunks = result.yieldRowObjectJson()[Symbol.asyncIterator]();
    return {
      names: result.columnNames(),
      types: result.columnTypes().map((t) => t.toString()),
      async next() {
        if (!open) return null;
        try {
          const step = await chunks.next();
          if (step.done) {
            close();
            return null;
          }
          return step.value as Row[];
        } catch (err) {
          throw fail(err);
        }
      },
      close,
    };
  } catch (err) {
    throw fail(err);
  }
}
