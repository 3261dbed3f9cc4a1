/**
 * The DuckDB implementation of Db (Node only). One instance per file per process, one writer connection whose
 * transactions are serialised, and a small pool of reader connections.
 */
import {
  DuckDBInstance,
  LIST,
  VARCHAR,
  listValue,
  type DuckDBConnection,
  type DuckDBResultReader,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { readdir, readFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  QueryError,
  type AfterCommit,
  type ColumnarResult,
  type ColumnarStream,
  type Db,
  type Queryable,
  type Row,
  type SqlParams,
  type WriteSession,
} from './db.js';

import { parquetOn, withParquetFiles } from './duckdb-parquet-files.js';
import { stageTextOn } from './duckdb-stage-text.js';
import { openStream } from './duckdb-stream.js';
import { reportEffectError, runAfterCommit } from './after-commit-effects.js';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Serialises async work; used for the single writer connection and each reader. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Waits for the lock and keeps it until the returned release is called. */
  async hold(): Promise<() => void> {
    let release: () => void = () => {};
    const held = new Promise<void>((res) => (release = res));
    await new Promise<void>((acquired) => {
      void this.run(() => {
        acquired();
        return held;
      });
    });
    return release;
  }
}

/** Binds named values; string arrays become typed VARCHAR lists (an empty list has no type to infer). */
export function bind(params: SqlParams | undefined): {
  values?: Record<string, DuckDBValue>;
  types?: Record<string, DuckDBType>;
} {
  if (!params) return {};
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) {
      values[k] = listValue([...(v as (string | null)[])]);
      types[k] = LIST(VARCHAR);
    } else values[k] = v as DuckDBValue;
  }
  return { values, types };
}

class ConnectionQueryable implements Queryable {
  constructor(
    protected readonly conn: DuckDBConnection,
    private readonly lock: Mutex | null,
  ) {}

  protected async exec(sql: string, params?: SqlParams): Promise<DuckDBResultReader> {
    const go = async () => {
      try {
        // @duckdb/node-api infers parameter types from JS values; values are always bound, never spliced.
        // Each run prepares its statement again: DuckDB plans with the tables' statistics of that moment
        // (string compression ranges among them), and a plan kept for later runs read garbage after writes.
        const b = bind(params);
        return await this.conn.runAndReadAll(sql, b.values, b.types);
      } catch (err) {
        throw new QueryError(err instanceof Error ? err.message : String(err), sql, { cause: err });
      }
    };
    return this.lock ? this.lock.run(go) : go();
  }

  async all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const r = await this.exec(sql, params);
    return r.getRowObjectsJson() as unknown as T[];
  }

  async columns(sql: string, params?: SqlParams): Promise<ColumnarResult> {
    const r = await this.exec(sql, params);
    return {
      names: r.columnNames(),
      types: r.columnTypes().map((t) => t.toString()),
      rows: r.getRowObjectsJson() as unknown as Row[],
    };
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.exec(sql, params);
  }

  stageText(name: string, columns: Readonly<Record<string, readonly string[]>>): Promise<void> {
    const go = () => stageTextOn(this.conn, name, columns);
    return this.lock ? this.lock.run(go) : go();
  }
}

/** The queryable of one write transaction: it collects the effects to run after its commit. */
class TransactionQueryable extends ConnectionQueryable {
  readonly effects: AfterCommit[] = [];
  afterCommit(effect: AfterCommit): void {
    this.effects.push(effect);
  }
}

export interface DuckDbStoreOptions {
  /** File path, or ':memory:' for tests. */
  readonly path: string;
  readonly readers?: number;
  /** Extra DuckDB settings, e.g. { threads: '2' }. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Where a failing after-commit effect is reported (the commit stands); default: stderr. */
  readonly onEffectError?: (err: unknown) => void;
}

export class DuckDbStore extends ConnectionQueryable implements Db {
  private readonly writeLock: Mutex;
  private readonly readers: { q: ConnectionQueryable; conn: DuckDBConnection; lock: Mutex }[];
  private next = 0;
  private onEffectError: (err: unknown) => void = reportEffectError;

  private constructor(
    readonly instance: DuckDBInstance,
    writer: DuckDBConnection,
    writeLock: Mutex,
    readers: DuckDBConnection[],
  ) {
    super(writer, writeLock);
    this.writeLock = writeLock;
    this.readers = readers.map((conn) => {
      const lock = new Mutex();
      return { conn, lock, q: new ConnectionQueryable(conn, lock) };
    });
  }

  static async open(opts: DuckDbStoreOptions): Promise<DuckDbStore> {
    if (opts.path !== ':memory:') await mkdir(dirname(opts.path), { recursive: true });
    const settings = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      ...opts.settings,
    };
    // fromCache keeps one instance per file per process; ':memory:' gets a fresh one each time.
    const instance =
      opts.path === ':memory:'
        ? await DuckDBInstance.create(':memory:', settings)
        : await DuckDBInstance.fromCache(opts.path, settings);
    const writer = await instance.connect();
    await writer.run("SET TimeZone = 'UTC'");
    const readers: DuckDBConnection[] = [];
    // Three: a usage answer reads its scope, its freshness and a small page at once (usage-table.ts).
    for (let i = 0; i < (opts.readers ?? 3); i++) {
      const c = await instance.connect();
      await c.run("SET TimeZone = 'UTC'");
      readers.push(c);
    }
    const store = new DuckDbStore(instance, writer, new Mutex(), readers);
    if (opts.onEffectError) store.onEffectError = opts.onEffectError;
    await store.migrate();
    return store;
  }

  /** Reads go to a reader connection so they do not wait behind a long write. */
  override async all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.reader().all<T>(sql, params);
  }

  override async columns(sql: string, params?: SqlParams): Promise<ColumnarResult> {
    return this.reader().columns(sql, params);
  }

  async streamColumns(sql: string, params?: SqlParams): Promise<ColumnarStream> {
    const r = this.readers[this.next++ % this.readers.length];
    return r
      ? openStream(r.conn, r.lock, sql, bind(params))
      : openStream(this.conn, this.writeLock, sql, bind(params));
  }

  async readSession<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const r = this.readers[this.next++ % this.readers.length];
    if (!r) return this.transaction(fn);
    return r.lock.run(() => fn(new ConnectionQueryable(r.conn, null)));
  }

  parquetOf(sql: string, params?: SqlParams): Promise<string> {
    return parquetOn(this.reader(), sql, params);
  }

  withParquetFiles<T>(files: readonly string[], fn: (paths: readonly string[]) => Promise<T>): Promise<T> {
    return withParquetFiles(files, fn);
  }

  private reader(): ConnectionQueryable {
    const r = this.readers[this.next++ % this.readers.length];
    return r ? r.q : this;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const effects: AfterCommit[] = [];
    const out = await this.writeLock.run(() => this.unlockedTransaction(fn, effects));
    await this.runEffects(effects);
    return out;
  }

  async writeSession<T>(fn: (session: WriteSession) => Promise<T>): Promise<T> {
    const effects: AfterCommit[] = [];
    try {
      return await this.writeLock.run(() => fn({ transaction: (f) => this.unlockedTransaction(f, effects) }));
    } finally {
      // A later transaction of the session may fail; what the earlier ones committed still has its effects.
      await this.runEffects(effects);
    }
  }

  /** One transaction on the writer; the caller holds the write lock. Its effects join `effects` on commit. */
  private async unlockedTransaction<T>(
    fn: (tx: Queryable) => Promise<T>,
    effects: AfterCommit[],
  ): Promise<T> {
    const tx = new TransactionQueryable(this.conn, null);
    await this.conn.run('BEGIN TRANSACTION');
    let out: T;
    try {
      out = await fn(tx);
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    effects.push(...tx.effects);
    return out;
  }

  /** Runs committed effects in order, with the writer free; a failing one is reported and the rest still run. */
  private runEffects(effects: readonly AfterCommit[]): Promise<void> {
    return runAfterCommit(this, effects, this.onEffectError);
  }

  /** Applies every migrations/*.sql not yet recorded, in name order, each in its own transaction. */
  async migrate(): Promise<string[]> {
    await this.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)',
    );
    const done = new Set(
      (await this.all<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
    );
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    const applied: string[] = [];
    for (const f of files) {
      if (done.has(f)) continue;
      const sql = await readFile(join(MIGRATIONS_DIR, f), 'utf8');
      await this.transaction(async (tx) => {
        await tx.run(sql);
        await tx.run('INSERT INTO schema_migrations VALUES ($name, now())', { name: f });
      });
      applied.push(f);
    }
    return applied;
  }

  /** How far the statement running on the writer connection is (for CLI progress bars); -1 when unknown. */
  writerProgress(): number {
    return this.conn.progress.percentage;
  }

  /** The raw connection for bulk paths (appender, read_csv of a temp file); use inside writeExclusive. */
  async writeExclusive<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.writeLock.run(() => fn(this.conn));
  }

  async close(): Promise<void> {
    for (const r of this.readers) r.conn.closeSync();
    this.conn.closeSync();
  }
}
