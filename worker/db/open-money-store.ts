/**
 * Opens the money plane's store the configuration names: the analytics DuckDB store itself (STORE=duckdb), or a
 * Postgres-SQL store (PGlite in a folder or in memory, or the server at DATABASE_URL) with its schema brought up
 * to date.
 */
import type { MoneyStoreSettings } from '../config.js';
import type { Db } from './db.js';
import { pgliteDriver, serverDriver } from './pg-driver.js';
import { migratePg } from './pg-migrate.js';
import { PgStore, type PgStoreOptions } from './pg-store.js';

/**
 * The money plane: `analytics` itself for STORE=duckdb (the caller closes it once, as the analytics store), else
 * the Postgres-SQL store opened by openMoneyStore.
 */
export async function openMoneyPlane(
  config: { readonly moneyStore: MoneyStoreSettings },
  analytics: Db,
  opts: Omit<PgStoreOptions, 'driver'> = {},
): Promise<Db> {
  const s = config.moneyStore;
  return s.kind === 'duckdb' ? analytics : openMoneyStore(config, opts);
}

export async function openMoneyStore(
  config: { readonly moneyStore: MoneyStoreSettings },
  opts: Omit<PgStoreOptions, 'driver'> = {},
): Promise<PgStore> {
  const s = config.moneyStore;
  if (s.kind === 'duckdb') throw new Error('STORE=duckdb keeps the money plane in the DuckDB file');
  const driver =
    s.kind === 'postgres'
      ? serverDriver({ url: s.url })
      : await pgliteDriver({ dataDir: s.dir ?? 'memory://' });
  const store = new PgStore({ ...opts, driver });
  try {
    await migratePg(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
