/**
 * Runs one caller query in a tenant sandbox. Only a single SELECT passes (DuckDB classifies the statement
 * itself, so COPY, ATTACH, SET, PRAGMA assignments, CALL, INSTALL/LOAD and DDL are refused before they run); the
 * sandbox's settings refuse file and network access inside a SELECT. A timer interrupts the connection at the
 * time limit, and rows are pulled chunk by chunk only up to the row limit, so a huge result never materialises.
 */
import {
  DuckDBInstance,
  JsonDuckDBValueConverter,
  StatementType,
  type DuckDBDataChunk,
  type DuckDBType,
} from '@duckdb/node-api';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnarResult, Row } from '../db/db.js';
import { QueryInvalidError, QueryLimitError, QueryNotAllowedError } from '../errors.js';
import { copyOn } from '../exports/file-export.js';
import { unitsRefusal } from './units-refusal.js';
import type { TenantSandbox } from './tenant-sandbox.js';

export interface SandboxRun {
  readonly result: ColumnarResult;
  readonly truncated: boolean;
  readonly toParquet?: (metadata: Readonly<Record<string, string>>) => Promise<Uint8Array>;
}

export async function runSandboxQuery(
  sandbox: TenantSandbox,
  sql: string,
  limits: { timeoutMs: number; maxRows: number; parquet?: boolean },
): Promise<SandboxRun> {
  const conn = await sandbox.instance.connect();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, limits.timeoutMs);
  try {
    const statements = await conn.extractStatements(sql);
    if (statements.count !== 1)
      throw new QueryNotAllowedError('Send exactly one SELECT statement (no ; separated list).');
    const prepared = await statements.prepare(0);
    if (prepared.statementType !== StatementType.SELECT)
      throw new QueryNotAllowedError(
        `Only SELECT is allowed; this is a ${StatementType[prepared.statementType]} statement.`,
      );
    const stream = await prepared.stream();
    const names = stream.deduplicatedColumnNames();
    const types = stream.columnTypes();
    const chunks: DuckDBDataChunk[] = [];
    let count = 0;
    while (count <= limits.maxRows) {
      const chunk = await stream.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      chunks.push(chunk);
      count += chunk.rowCount;
    }
    const rows = jsonRows(names, chunks, limits.maxRows);
    const result: ColumnarResult = { names, types: types.map((t) => t.toString()), rows };
    const truncated = count > limits.maxRows;
    if (!limits.parquet) return { result, truncated };
    return {
      result,
      truncated,
      toParquet: (metadata) => chunksToParquet(names, types, chunks, limits.maxRows, metadata),
    };
  } catch (err) {
    throw (
      (await unitsRefusal(err, conn, sql, sandbox.usageSource)) ?? classify(err, timedOut, limits.timeoutMs)
    );
  } finally {
    clearTimeout(timer);
    conn.closeSync();
  }
}

function jsonRows(names: readonly string[], chunks: readonly DuckDBDataChunk[], max: number): Row[] {
  const rows: Row[] = [];
  for (const chunk of chunks) {
    for (const values of chunk.convertRows(JsonDuckDBValueConverter)) {
      if (rows.length >= max) return rows;
      const row: Row = {};
      names.forEach((n, i) => (row[n] = values[i] ?? null));
      rows.push(row);
    }
  }
  return rows;
}

/** The chunks, typed as they came, written by a scratch DuckDB (the sandbox itself may not write files). */
async function chunksToParquet(
  names: readonly string[],
  types: readonly DuckDBType[],
  chunks: readonly DuckDBDataChunk[],
  max: number,
  metadata: Readonly<Record<string, string>>,
): Promise<Uint8Array> {
  const scratch = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    threads: '1',
  });
  const conn = await scratch.connect();
  const dir = await mkdtemp(join(tmpdir(), 'convo-query-'));
  try {
    const cols = names.map((n, i) => `"${n.replace(/"/g, '""')}" ${types[i]?.toString() ?? 'VARCHAR'}`);
    await conn.run(`CREATE TABLE answer (${cols.join(', ')})`);
    const appender = await conn.createAppender('answer');
    for (const chunk of chunks) appender.appendDataChunk(chunk);
    appender.flushSync();
    appender.closeSync();
    const path = join(dir, 'answer.parquet');
    await copyOn(conn, `SELECT * FROM answer LIMIT ${max}`, {}, path, 'parquet', metadata);
    return new Uint8Array(await readFile(path));
  } finally {
    conn.closeSync();
    scratch.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/** DuckDB's error as the catalogue's: limits 422, forbidden operations 400 not_allowed, the rest 400 invalid. */
function classify(err: unknown, timedOut: boolean, timeoutMs: number): unknown {
  if (!(err instanceof Error) || err.name === 'QueryNotAllowedError') return err;
  const message = err.message;
  if (timedOut || /^INTERRUPT/i.test(message))
    return new QueryLimitError('time', `The query ran longer than ${timeoutMs} ms and was stopped.`, {
      timeout_ms: timeoutMs,
    });
  if (/^Out of Memory/i.test(message))
    return new QueryLimitError(
      'memory',
      'The query needed more memory than a query may use and was stopped.',
    );
  const firstLine = message.split('\n')[0]?.slice(0, 500) ?? '';
  if (/^Permission Error|configuration has been locked|disabled by configuration/i.test(message))
    return new QueryNotAllowedError(`The query tried something the sandbox forbids: ${firstLine}`);
  return new QueryInvalidError(firstLine);
}
