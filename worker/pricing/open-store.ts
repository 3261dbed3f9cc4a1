/**
 * The one way a host opens its store: DuckDbStore.open applies the migrations, then the shipped markets and
 * rate cards are seeded (once per data version), so pricing itself never checks for them. The Node host, every
 * CLI command, the test harness and the benchmarks open their stores here; seeding is a no-op on a store that
 * already holds the current data version.
 */
import { DuckDbStore, type DuckDbStoreOptions } from '../db/duckdb-store.js';
import { seedPricingData } from './seed-pricing-data.js';

/** Opens (and migrates) the store at `opts.path` with the current pricing data, recorded as seeded at `now`. */
export async function openStore(opts: DuckDbStoreOptions, now: Date): Promise<DuckDbStore> {
  const db = await DuckDbStore.open(opts);
  try {
    await db.transaction((tx) => seedPricingData(tx, now));
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
