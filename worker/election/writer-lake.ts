/**
 * Whether this replica takes part in the ingest-writer election, and the lake it archives into only while it
 * is the writer. The election needs the lake shared: a new writer must find every batch its predecessor
 * committed, and with the lake on the dead writer's own disk it cannot. Without an object store (no
 * INGEST_LAKE_URL) there is no election and the usage source moves only by hand (CLAIM_USAGE_SOURCE=true).
 */
import type { HostCapabilities } from '../app-deps.js';
import type { Config } from '../config.js';
import type { Logger } from '../env.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import { localIngestLake } from '../lake/local-ingest-lake.js';
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
 * holds one writer's numbering at a time. Returns the lake itself, and the local folder alone for what a stop
 * left spooled: a batch this replica uploaded and did not commit before it died stays in the object store,
 * since another writer may have replayed it meanwhile (every replica then counts it alike; its client got no
 * answer and a retry is merged by unit_id).
 */
export function gateLakeToWriter(
  host: HostCapabilities,
  role: WriterRole,
  dir: string,
  log: Logger,
): { lake: IngestLake; spool: IngestLake } | undefined {
  const lake = host.ingestLake;
  if (!lake) return undefined;
  Object.defineProperty(host, 'ingestLake', {
    get: () => (role.archives ? lake : undefined),
    enumerable: true,
    configurable: true,
  });
  return { lake, spool: localIngestLake(dir, log) };
}
