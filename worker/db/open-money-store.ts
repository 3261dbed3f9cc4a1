/**
 * Opens the money plane's Postgres-SQL store the configuration names (PGlite in a folder or in memory, or the
 * server at DATABASE_URL) and brings its schema up to date. Nothing of the money code uses it yet.
 */
import type { MoneyStoreSettings } from '../config.js';
import { pgliteDriver, serverDriver } from './pg-driver.js';
import { migratePg } from './pg-migrate.js';
import { PgStore, type PgStoreOptions } from './pg-store.js';

export async function openMoneyStore(
  config: { readonly moneyStore: MoneyStoreSettings },
  opts: Omit<PgStoreOptions, 'driver'> = {},
): Promise<PgStore> {
  const s = config.moneyStore;
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
