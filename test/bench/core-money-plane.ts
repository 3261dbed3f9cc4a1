/**
 * Where `npm run bench` keeps the money plane for an ingest (BENCH_STORE): in the DuckDB file itself
 * (STORE=duckdb, the default), on PGlite in a folder, or on a Postgres 15 server started once for the run on
 * loopback (fsync and synchronous commit on), each ingest on an empty database of its own. The configuration is
 * the service's own (normalizeConfig with STORE and its URL or folder), and the money store is opened, migrated
 * and registered as the usage source the way the CLI does before an ingest.
 */
import { rm } from 'node:fs/promises';
import { normalizeConfig, type Config } from '../../worker/config.js';
import type { Db } from '../../worker/db/db.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openMoneyPlane } from '../../worker/db/open-money-store.js';
import { requireUsageSource } from '../../worker/ledger/usage-source.js';
import { createDatabase, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';

export const BENCH_STORES = ['duckdb', 'pglite', 'postgres'] as const;
export type BenchStore = (typeof BENCH_STORES)[number];

export function benchStores(raw: string | undefined): BenchStore[] {
  const kinds = (raw ?? 'duckdb').split(',').filter(Boolean);
  for (const k of kinds)
    if (!(BENCH_STORES as readonly string[]).includes(k))
      throw new Error(`BENCH_STORE must list ${BENCH_STORES.join(', ')}; got ${k}`);
  return kinds as BenchStore[];
}

export interface MoneyPlane {
  readonly config: Config;
  /** The money store (the analytics store itself for duckdb). */
  readonly money: Db;
  /** Whether the money plane is a store of its own. */
  readonly split: boolean;
  /** Closes the money store and removes its database or folder (not the analytics store). */
  close(): Promise<void>;
}

/** The Postgres server of the run, started at its first use; stop() only when one was started. */
export class BenchServer {
  private server: PostgresServer | null = null;
  private n = 0;

  async database(): Promise<PostgresServer> {
    this.server ??= await startPostgres({ durable: true });
    return createDatabase(this.server.url, `bench_money_${process.pid}_${this.n++}`);
  }

  /** The server's process id (its connections are its child processes), null before it started. */
  get pid(): number | null {
    return this.server?.pid ?? null;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }
}

export async function openBenchMoney(
  kind: BenchStore,
  store: DuckDbStore,
  dbPath: string,
  server: BenchServer,
): Promise<MoneyPlane> {
  const base = { DEMO_DATA: 'false', DB_PATH: dbPath };
  if (kind === 'duckdb') {
    const config = normalizeConfig(base);
    return { config, money: store, split: false, close: async () => undefined };
  }
  const folder = `${dbPath}.money-pglite`;
  const database = kind === 'postgres' ? await server.database() : null;
  if (!database) await rm(folder, { recursive: true, force: true });
  const config = normalizeConfig(
    database
      ? { ...base, STORE: 'postgres', DATABASE_URL: database.url }
      : { ...base, STORE: 'pglite', PGLITE_DIR: folder },
  );
  const money = await openMoneyPlane(config, store);
  const close = async () => {
    await money.close();
    if (database) await database.stop();
    else await rm(folder, { recursive: true, force: true });
  };
  try {
    // As the CLI: with split planes only the claimed analytics store posts usage charges.
    await requireUsageSource({ db: store, money }, config.replicaId, new Date());
  } catch (err) {
    await close();
    throw err;
  }
  return { config, money, split: true, close };
}
