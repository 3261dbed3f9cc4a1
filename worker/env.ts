/** The Hono environment shared by every route: injected dependencies and the resolved caller. */
import type { Principal } from './auth/principal.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db, SqlParams } from './db/db.js';

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
  /** Runs a read query and returns its result as Parquet bytes (DuckDB COPY … TO). */
  toParquet?(sql: string, params?: SqlParams): Promise<Uint8Array>;
}

export interface AppDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Config;
  readonly log: Logger;
  readonly host: HostCapabilities;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
    requestId: string;
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
