/**
 * Node side of exports: DuckDB writes a query's rows straight to a CSV or Parquet file with its own COPY (the
 * fastest writer there is), on a connection of its own so an export never waits behind, or holds up, the writer
 * or the reader pool. The answer then streams the file; it is unlinked as soon as it is open, so nothing is left
 * behind whether the client reads it to the end or goes away.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bind } from '../db/duckdb-store.js';
import { QueryError, type SqlParams } from '../db/db.js';
import { sqlString } from '../kernel/sql-literal.js';

export type FileFormat = 'csv' | 'parquet';

/** COPY options for the format; Parquet metadata keys and values are bound as parameters ($kv_0 …). */
export function copyOptions(
  format: FileFormat,
  metadata: Readonly<Record<string, string>>,
): { options: string; params: Record<string, string> } {
  if (format === 'csv') return { options: 'FORMAT csv, HEADER true', params: {} };
  const entries = Object.entries(metadata);
  const params: Record<string, string> = {};
  const fields = entries.map(([k, v], i) => {
    params[`kv_${i}`] = v;
    return `"${k.replace(/"/g, '')}": $kv_${i}`;
  });
  const kv = fields.length > 0 ? `, KV_METADATA {${fields.join(', ')}}` : '';
  return { options: `FORMAT parquet, COMPRESSION zstd${kv}`, params };
}

/** What one COPY writes: the query and its parameters, the file, its format and (Parquet) key-value metadata. */
export type CopyJob = [
  sql: string,
  params: SqlParams,
  path: string,
  format: FileFormat,
  metadata?: Readonly<Record<string, string>>,
];

/** Runs `COPY (sql) TO path` on a fresh connection of the instance; returns the rows written. */
export async function copyToFile(instance: DuckDBInstance, ...job: CopyJob): Promise<number> {
  const conn = await instance.connect();
  try {
    return await copyOn(conn, ...job);
  } finally {
    conn.closeSync();
  }
}

export async function copyOn(
  conn: DuckDBConnection,
  ...[sql, params, path, format, metadata = {}]: CopyJob
): Promise<number> {
  const { options, params: kvParams } = copyOptions(format, metadata);
  const copy = `COPY (${sql}) TO ${sqlString(path)} (${options})`;
  try {
    await conn.run("SET TimeZone = 'UTC'");
    const b = bind({ ...params, ...kvParams });
    const r = await conn.run(copy, b.values, b.types);
    return r.rowsChanged;
  } catch (err) {
    throw new QueryError(err instanceof Error ? err.message : String(err), copy, { cause: err });
  }
}

/** Writes the query to a temp file and answers a stream of its bytes (the file is already unlinked). */
export async function exportStream(
  instance: DuckDBInstance,
  sql: string,
  params: SqlParams,
  format: FileFormat,
  metadata: Readonly<Record<string, string>>,
): Promise<ReadableStream<Uint8Array>> {
  const dir = await mkdtemp(join(tmpdir(), 'convo-export-'));
  const path = join(dir, `export.${format}`);
  let fh;
  try {
    await copyToFile(instance, sql, params, path, format, metadata);
    fh = await open(path, 'r');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const file = fh;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await file.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buf = new Uint8Array(1 << 20);
      const { bytesRead } = await file.read(buf, 0, buf.length, null);
      if (bytesRead === 0) {
        await close();
        controller.close();
      } else controller.enqueue(buf.subarray(0, bytesRead));
    },
    cancel: close,
  });
}
