/**
 * A service whose disk was lost (a container restarted on a fresh disk) comes back with its analytics: when
 * RESTORE_FROM_LAKE is on and the DuckDB file does not exist, the ingest lake is first brought back from its
 * object-store copy (INGEST_LAKE_URL), then replayed into a new file under a temporary name, renamed into place
 * when complete. A crash mid-restore leaves only the temporary file, which the next start replaces. An empty lake
 * is a first start: nothing to restore. The money plane is not touched: with money in Postgres it survived.
 */
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../env.js';
import { domainContextOf } from '../kernel/domain-context.js';
import { listLakeBatches, listReferenceChanges } from '../lake/read-lake.js';
import { s3ObjectStore } from '../lake/s3-object-store.js';
import { downloadMissing } from '../lake/sync-lake.js';
import { openStore } from '../pricing/open-store.js';
import { replayLake, type ReplaySummary } from './replay-lake.js';

export interface Restored extends ReplaySummary {
  readonly downloaded: number;
}

/** Restores the DuckDB file from the lake when it must (see above); null when there was nothing to do. */
export async function restoreFromLake(config: Config, log: Logger): Promise<Restored | null> {
  const lake = config.ingestLakeDir;
  if (!config.restoreFromLake || config.dbPath === ':memory:' || !lake || existsSync(config.dbPath))
    return null;
  const { downloaded } = config.ingestLakeRemote
    ? await downloadMissing(s3ObjectStore(config.ingestLakeRemote), lake)
    : { downloaded: 0 };
  if (!existsSync(lake)) return null;
  const [batches, changes] = await Promise.all([listLakeBatches(lake), listReferenceChanges(lake)]);
  if (batches.length === 0 && changes.length === 0) return null;
  const temp = `${config.dbPath}.restoring`;
  await rm(temp, { force: true });
  await rm(`${temp}.wal`, { force: true });
  log.info('restoring the store from the ingest lake', {
    db: config.dbPath,
    batches: batches.length,
    reference_changes: changes.length,
    downloaded,
  });
  const store = await openStore({ path: temp }, systemClock.now());
  let summary: ReplaySummary;
  try {
    summary = await replayLake(store, lake, domainContextOf({ clock: systemClock, config }));
    // Everything into the file itself, and the instance closed (not only its connections), so nothing writes to
    // the file under its temporary name once it is renamed and opened as the store.
    await store.run('CHECKPOINT');
  } finally {
    await store.close();
    store.instance.closeSync();
  }
  await rename(temp, config.dbPath);
  return { ...summary, downloaded };
}
