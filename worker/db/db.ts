/**
 * The store seen by routes and domain code. It is an interface only, so that app.ts and everything it imports
 * stay free of Node-only modules; the DuckDB implementation lives in duckdb-store.ts and is wired in node.ts.
 */
export type SqlValue = string | number | bigint | boolean | null | readonly (string | null)[];
export type SqlParams = Readonly<Record<string, SqlValue>>;
export type Row = Record<string, unknown>;

export interface ColumnarResult {
  readonly names: readonly string[];
  /** DuckDB type names, e.g. VARCHAR, BIGINT, DECIMAL(18,6), DATE. */
  readonly types: readonly string[];
  /** Rows as JSON-safe values: BIGINT and DECIMAL as strings, dates as ISO-like strings. */
  readonly rows: readonly Row[];
}

/** A result read chunk by chunk, holding its connection until it ends or is closed. */
export interface ColumnarStream {
  readonly names: readonly string[];
  readonly types: readonly string[];
  /** The next rows (JSON-safe, as in ColumnarResult), or null once the result is exhausted. */
  next(): Promise<readonly Row[] | null>;
  /** Frees the connection; safe to call more than once, and after the end. */
  close(): void;
}

export interface Queryable {
  /** Rows as JSON-safe objects (BIGINT/DECIMAL → string, DATE → 'YYYY-MM-DD', TIMESTAMP → text). */
  all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Column names and types with the rows, for CSV and Arrow encoding. */
  columns(sql: string, params?: SqlParams): Promise<ColumnarResult>;
  run(sql: string, params?: SqlParams): Promise<void>;
  /**
   * Creates (or replaces) the temp table `name` with one VARCHAR column per key and bulk-appends the values (all
   * columns the same length; '' becomes NULL). Optional: a store without a bulk path leaves it out and callers
   * bind lists instead.
   */
  stageText?(name: string, columns: Readonly<Record<string, readonly string[]>>): Promise<void>;
  /**
   * Inside a write transaction: registers an effect that runs once the transaction has committed (never when it
   * rolls back), in registration order, before the store's transaction() answers. A store outside a
   * transaction (each statement commits by itself) leaves it out; use onCommit, which then runs the effect now.
   */
  afterCommit?(effect: AfterCommit): void;
}

/**
 * A side effect that must follow a commit: a cache invalidation, an auto-renewal check, an alert, teaching the
 * gate. It gets the store, so it may open transactions of its own (the writer is free by then). Inside the
 * transaction other connections still see the old state: a cache emptied there could be filled again with the
 * old value before the commit, and an effect that failed there would undo the write it follows.
 */
export type AfterCommit = (db: Db) => void | Promise<void>;

/**
 * Runs `effect` after the transaction `q` belongs to commits, or now when `q` is the store itself (no
 * transaction: each statement has committed already).
 */
export function onCommit(q: Queryable, effect: AfterCommit): void {
  if (q.afterCommit) return q.afterCommit(effect);
  if (!isDb(q)) throw new Error('onCommit needs a transaction or the store');
  const ran = effect(q);
  if (ran instanceof Promise) ran.catch(() => undefined);
}

function isDb(q: Queryable): q is Db {
  return 'transaction' in q && 'writeSession' in q;
}

export interface WriteSession {
  /** BEGIN … COMMIT on the writer the session holds; a throw rolls this transaction back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export interface Db extends Queryable {
  /**
   * Runs fn inside BEGIN … COMMIT on the single writer connection; writers are serialised, and a throw rolls
   * the whole transaction back. After the commit, once the writer is free, the effects fn registered run (see
   * AfterCommit); a failing effect is reported, never turned into an error of the committed transaction.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Holds the writer across several transactions (a bulk ingest lands a batch, then settles it): no other write
   * runs in between. Inside fn, use only the session's transaction, never Db.transaction (it would wait forever).
   * The effects of the session's committed transactions run once it has released the writer.
   */
  writeSession<T>(fn: (session: WriteSession) => Promise<T>): Promise<T>;
  /**
   * Runs a read and hands its rows over as they are produced, so memory stays bounded by a chunk. Optional: a
   * store without it is read whole with columns(). Run the request's other reads first: the stream holds a reader.
   */
  streamColumns?(sql: string, params?: SqlParams): Promise<ColumnarStream>;
  /**
   * Runs fn on one reader connection held for its duration, so that temp tables it creates are there for its
   * next statements (fn drops them: the connection serves other reads afterwards). Optional: a store without
   * it has none to spare, and callers use a transaction instead.
   */
  readSession?<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * The rows of a query as one Parquet file (zstd), in base64, to hand a result whole to a store that holds text
   * (a few hundred kilobytes where a table of the same rows costs a write per row). Optional: DuckDB only.
   */
  parquetOf?(sql: string, params?: SqlParams): Promise<string>;
  /**
   * Runs fn with the paths of temporary files holding the given Parquet files (base64, as parquetOf answers),
   * for its statements to read with read_parquet($path); they are removed however fn ends. Optional: DuckDB only.
   */
  withParquetFiles?<T>(files: readonly string[], fn: (paths: readonly string[]) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A query that failed; the SQL goes to the log, never to the client. */
export class QueryError extends Error {
  readonly sql: string;
  constructor(message: string, sql: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueryError';
    this.sql = sql;
  }
}
