/**
 * What the HTTP API receives from its host: the store, clock, configuration and logger, the host's optional
 * capabilities and the services built once per store, and the Hono environment every route shares. It sits in
 * the edge layer since it bundles the types of every layer below (store, principal, lake, SQL sandbox, gate).
 */
import type { ApiKeyCache } from './auth/api-key-cache.js';
import type { Principal } from './auth/principal.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db, SqlParams } from './db/db.js';
import type { Logger } from './env.js';
import type { LakeFile, LakeRequest } from './exports/lake-types.js';
import type { GateServices } from './gate/gate-services.js';
import type { ContinuousIntake } from './intake/continuous-intake.js';
import type { DomainContext } from './kernel/domain-context.js';
import type { PostWebhook, WithTempFile } from './kernel/host-io.js';
import type { IngestLake } from './lake/ingest-lake.js';
import type { WriterRole } from './ledger/writer-role.js';
import type { TenantQueryAnswer, TenantQueryRequest } from './sql/query-types.js';

/** The gate's and the API keys' process memory of one store (app-services.ts builds it). */
export interface AppServices {
  readonly gate: GateServices;
  readonly apiKeys: ApiKeyCache;
  /** The continuous intake (a host with a folder for its log opens it); none = its routes answer 503. */
  readonly intake?: ContinuousIntake;
  /** This process's part in the ingest-writer election (worker/election/); absent = no election. */
  readonly writer?: WriterRole;
}

/**
 * Optional capabilities that only a Node host provides (bulk file loading into DuckDB, background timers).
 * Routes check for them and answer 503 where a host lacks one.
 */
export interface HostCapabilities {
  withTempFile?: WithTempFile;
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
  postWebhook?: PostWebhook;
  /** Where every accepted ingest batch is archived as Parquet (INGEST_LAKE_DIR); absent = not archived. */
  ingestLake?: IngestLake;
  /** Runs a caller's read-only SQL over a sandbox holding only its own data. */
  tenantQuery?(req: TenantQueryRequest): Promise<TenantQueryAnswer>;
}

export interface AppDeps {
  /** The analytics plane: units, derivation, rollups, forecasts input (DuckDB). */
  readonly db: Db;
  /**
   * The money plane: tenancy, ledger, quotes, top-ups, idempotency keys, auto-renewal, alerts, audit, gate state.
   * The same object as `db` with STORE=duckdb; a Postgres-SQL store (PGlite or a server) otherwise.
   */
  readonly money: Db;
  readonly clock: Clock;
  readonly config: Config;
  readonly log: Logger;
  readonly host: HostCapabilities;
  /** Built once per store by the host (app-services.ts): caches and gate state. */
  readonly services: AppServices;
  /** Built once by the host from its clock, configuration and the gate's balance cache of `services`. */
  readonly domain: DomainContext;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
    requestId: string;
  };
}
