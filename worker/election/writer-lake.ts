/**
 * Whether this replica takes part in the ingest-writer election, and the lake it archives into only while it
 * is the writer. The election needs the lake shared: a new writer must find every batch its predecessor
 * committed, and with the lake on the dead writer's own disk it cannot. Without an object store (no
 * INGEST_LAKE_URL) there is no election and the usage source moves only by hand (CLAIM_USAGE_SOURCE=true).
 */
import type { HostCapabilities } from '../app-deps.js';
import type { Config } from '../config.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import type { WriterRole } from '../ledger/writer-role.js';

/** Replicas share the money plane (a Postgres store) and the lake (an object store). */
export function writerElectionOn(config: Config): boolean {
  return (
    config.moneyStore.kind !== 'duckdb' && config.ingestLakeRemote !== null && config.ingestLakeDir !== null
  );
}

/**
 * From now on `host.ingestLake` is the lake only while `role` archives (from a writer's renumbering to the loss
 * of its lease), and none otherwise: a standby's tenancy copies and writes archive nothing, so the shared lake
 * holds one writer's numbering at a time. Returns the lake itself, for the steps that must reach it anyway
 * (publishing or dropping what a stop left spooled).
 */
export function gateLakeToWriter(host: HostCapabilities, role: WriterRole): IngestLake | undefined {
  const lake = host.ingestLake;
  if (!lake) return undefined;
  Object.defineProperty(host, 'ingestLake', {
    get: () => (role.archives ? lake : undefined),
    enumerable: true,
    configurable: true,
  });
  return lake;
}
