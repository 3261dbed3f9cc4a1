/**
 * Parquet as text for the DuckDB store (Db.parquetOf, withParquetFiles): DuckDB writes and reads Parquet only as
 * files, so each call works in a temporary folder of its own, removed however the work ends.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queryable, SqlParams } from './db.js';

async function inTempFolder<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'convo-parquet-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** COPY (sql) TO a temporary file on the connection of `q`; the file's bytes in base64. */
export function parquetOn(q: Queryable, sql: string, params?: SqlParams): Promise<string> {
  return inTempFolder(async (dir) => {
    const path = join(dir, 'rows.parquet');
    await q.run(
      `COPY (${sql}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`,
      params,
    );
    return (await readFile(path)).toString('base64');
  });
}

export function withParquetFiles<T>(
  files: readonly string[],
  fn: (paths: readonly string[]) => Promise<T>,
): Promise<T> {
  return inTempFolder(async (dir) => {
    const paths = files.map((_, i) => join(dir, `${i}.parquet`));
    await Promise.all(files.map((b64, i) => writeFile(paths[i]!, Buffer.from(b64, 'base64'))));
    return fn(paths);
  });
}
