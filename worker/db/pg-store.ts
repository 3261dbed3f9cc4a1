/**
 * The Db interface in Postgres SQL, over a Postgres server or PGlite (pg-driver.ts). Values come back as the
 * DuckDB store answers them (pg-values.ts); `$name` parameters are bound by position (pg-named-params.ts).
 *
 * Transactions run at SERIALIZABLE: with a server, several connections and processes write at once, and
 * SERIALIZABLE makes every set of committed transactions equal to some one-at-a-time order, which is what the
 * DuckDB store's single writer gives and what read-then-write money code assumes. Postgres answers a conflict
 * with a serialization failure (40001) or a deadlock (40P01); the store rolls back and runs the whole function
 * again, up to `maxAttempts` times with a short random pause, so fn must touch nothing but the database through
 * its tx (it may run more than once; only the attempt that commits has its after-commit effects run). PGlite has
 * one session, so its transactions simply take turns. The optional stageText and streamColumns are left out:
 * callers bind lists and read whole answers, as Db allows.
 */
import {
  QueryError,
  type AfterCommit,
  type ColumnarResult,
  type Db,
  type Queryable,
  type Row,
  type SqlParams,
  type WriteSession,
} from './db.js';
import type { PgDriver, PgSession } from './pg-driver.js';
import { runPg } from './pg-query.js';
import { reportEffectError, runAfterCommit } from './after-commit-effects.js';
import { isRetryable, retryPause } from './pg-retry.js';

export type PgIsolation = 'serializable' | 'read committed';

export interface PgTransactionOptions {
  /**
   * READ COMMITTED gives each statement a fresh snapshot: needed where a statement waits for a lock and must
   * then see what the lock's holder committed (the migrations, behind their advisory lock). Default serializable.
   */
  readonly isolation?: PgIsolation;
}

export interface PgStoreOptions {
  readonly driver: PgDriver;
  /** Attempts of a transaction that keeps meeting serialization failures or deadlocks; default 20. */
  readonly maxAttempts?: number;
  /** Where a failing after-commit effect is reported (the commit stands); default: stderr. */
  readonly onEffectError?: (err: unknown) => void;
}

/** The queryable of one transaction: bound to its session, usable only until the transaction ends. */
class PgTransaction implements Queryable {
  readonly effects: AfterCommit[] = [];
  open = true;
  constructor(private readonly session: PgSession) {}

  private check(sql: string): void {
    if (!this.open) throw new QueryError('the transaction has already ended', sql);
  }

  async all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    this.check(sql);
    return (await runPg(this.session.client, sql, params)).rows as T[];
  }

  async columns(sql: string, params?: SqlParams): Promise<ColumnarResult> {
    this.check(sql);
    return runPg(this.session.client, sql, params);
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    this.check(sql);
    await runPg(this.session.client, sql, params);
  }

  afterCommit(effect: AfterCommit): void {
    this.effects.push(effect);
  }
}

export class PgStore implements Db {
  private readonly maxAttempts: number;
  private readonly onEffectError: (err: unknown) => void;

  constructor(private readonly opts: PgStoreOptions) {
    this.maxAttempts = opts.maxAttempts ?? 20;
    this.onEffectError = opts.onEffectError ?? reportEffectError;
  }

  get kind(): PgDriver['kind'] {
    return this.opts.driver.kind;
  }

  /** One statement on a free session; it commits by itself. */
  private async autocommit(sql: string, params: SqlParams | undefined): Promise<ColumnarResult> {
    const session = await this.opts.driver.acquire();
    try {
      const out = await runPg(session.client, sql, params);
      session.release();
      return out;
    } catch (err) {
      session.release(connectionLost(err) ? (err as Error) : undefined);
      throw err;
    }
  }

  async all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return (await this.autocommit(sql, params)).rows as T[];
  }

  columns(sql: string, params?: SqlParams): Promise<ColumnarResult> {
    return this.autocommit(sql, params);
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.autocommit(sql, params);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, opts?: PgTransactionOptions): Promise<T> {
    const effects: AfterCommit[] = [];
    const session = await this.opts.driver.acquire();
    let out: T;
    try {
      out = await this.retrying(session, fn, effects, opts);
    } finally {
      session.release(session.broken);
    }
    await this.runEffects(effects);
    return out;
  }

  /**
   * Holds one session across several transactions, each retried as transaction() is. Unlike the DuckDB store,
   * a server lets other connections commit between them: put steps that must not be separated in one transaction.
   */
  async writeSession<T>(fn: (session: WriteSession) => Promise<T>): Promise<T> {
    const effects: AfterCommit[] = [];
    const session = await this.opts.driver.acquire();
    try {
      return await fn({ transaction: (f) => this.retrying(session, f, effects, undefined) });
    } finally {
      session.release(session.broken);
      await this.runEffects(effects);
    }
  }

  private async retrying<T>(
    session: PgSession,
    fn: (tx: Queryable) => Promise<T>,
    effects: AfterCommit[],
    opts: PgTransactionOptions | undefined,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(session, fn, effects, opts?.isolation ?? 'serializable');
      } catch (err) {
        if (attempt >= this.maxAttempts || !isRetryable(err) || session.broken) throw err;
        await retryPause(attempt);
      }
    }
  }

  private async once<T>(
    session: PgSession,
    fn: (tx: Queryable) => Promise<T>,
    effects: AfterCommit[],
    isolation: PgIsolation,
  ): Promise<T> {
    const tx = new PgTransaction(session);
    await runPg(session.client, `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`, undefined);
    let out: T;
    try {
      out = await fn(tx);
      // COMMIT of a transaction a failed statement aborted answers ROLLBACK, not an error: fn swallowed one.
      const commit = await session.client.query('COMMIT');
      if (commit.command === 'ROLLBACK')
        throw new QueryError('the transaction was rolled back: one of its statements had failed', 'COMMIT');
    } catch (err) {
      tx.open = false;
      await session.client.query('ROLLBACK').catch((e: unknown) => {
        session.broken = e instanceof Error ? e : new Error(String(e));
      });
      throw err;
    }
    tx.open = false;
    effects.push(...tx.effects);
    return out;
  }

  private runEffects(effects: readonly AfterCommit[]): Promise<void> {
    return runAfterCommit(this, effects, this.onEffectError);
  }

  async close(): Promise<void> {
    await this.opts.driver.end();
  }
}

/** An error that leaves the connection unusable (the server closed it); the pool must not hand it out again. */
function connectionLost(err: unknown): boolean {
  const cause = err instanceof QueryError ? err.cause : err;
  return cause instanceof Error && !('code' in cause && typeof cause.code === 'string');
}
