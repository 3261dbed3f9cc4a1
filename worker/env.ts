/** The Hono environment shared by every route: injected dependencies and the resolved caller. */
import type { AppServices } from './app-services.js';
import type { Principal } from './auth/principal.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db, SqlParams } from './db/db.js';
import type { LakeFile, LakeRequest } from './exports/lake-types.js';
import type { IngestLake } from './lake/ingest-lake.js';
import type { TenantQueryAnswer, TenantQueryRequest } from './sql/query-types.js';

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Optional capabilities that only a Node host provides (bulk file loading into DuckDB, background timers).
 * Routes check for them and answer 503 where a host lacks one.
 */
export interface HostCapabilities {
  /** Writes bytes to a temporary file, calls fn with its path, and removes the file afterwards. */
  withTempFile?<T>(bytes: Uint8Array, extension: string, fn: (path: string) => Promise<T>): Promise<T>;
  /** Removes temp files that stopped processes left behind (at start-up); returns how many were found. */
  cleanTempFiles?(): Promise<number>;
  /** Runs a read query and returns its result as Parquet bytes (DuckDB COPY … TO) with key-value metadata. */
  toParquet?(
    sql: string,
    params?: SqlParams,
    metadata?: Readonly<Record<string, string>>,
  ): Promise<Uint8Array>;
  /** Streams a read query's rows as a CSV or Parquet file written by DuckDB. */
  exportStream?(
    sql: string,
    params: SqlParams,
    format: 'csv' | 'parquet',
    metadata: Readonly<Record<string, string>>,
  ): Promise<ReadableStream<Uint8Array>>;
  /** Writes units and ledger movements as Hive-partitioned files under the lake folder. */
  writeLake?(req: LakeRequest): Promise<LakeFile[]>;
  /** Resolves a host name to all its IP addresses (alert-subscription URLs are checked against them). */
  lookupHost?(hostname: string): Promise<string[]>;
  /**
   * POSTs an outbound webhook, connecting only to an address `allowed` accepts (resolved once and pinned) and
   * never following a redirect.
   */
  postWebhook?(
    url: string,
    req: {
      headers: Readonly<Record<string, string>>;
      body: string;
      timeoutMs: number;
      allowed: (address: string) => boolean;
    },
  ): Promise<{ status: number }>;
  /** Where every accepted ingest batch is archived as Parquet (INGEST_LAKE_DIR); absent = not archived. */
  ingestLake?: IngestLake;
  /** Runs a caller's read-only SQL over a sandbox holding only its own data. */
  tenantQuery?(req: TenantQueryRequest): Promise<TenantQueryAnswer>;
}

export interface AppDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Config;
  readonly log: Logger;
  readonly host: HostCapabilities;
  /** Built once per store by the host (app-services.ts): pricing data seeded, caches and gate state. */
  readonly services: AppServices;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
    requestId: string;
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
