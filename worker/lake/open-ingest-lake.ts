/**
 * The ingest lake the configuration asks for: the local folder, with its durable copy in an object store when
 * INGEST_LAKE_URL is set; none when INGEST_LAKE_DIR=off (or the store is in memory). One place for the service
 * and the CLI ingest, so both archive alike.
 */
import type { Config } from '../config.js';
import type { Logger } from '../env.js';
import type { IngestLake } from './ingest-lake.js';
import { localIngestLake } from './local-ingest-lake.js';
import { mirroredIngestLake } from './mirrored-ingest-lake.js';
import { s3ObjectStore } from './s3-object-store.js';

export function openIngestLake(
  config: Pick<Config, 'ingestLakeDir' | 'ingestLakeRemote'>,
  log: Logger,
): IngestLake | undefined {
  const dir = config.ingestLakeDir;
  if (!dir) return undefined;
  return config.ingestLakeRemote
    ? mirroredIngestLake(dir, s3ObjectStore(config.ingestLakeRemote), log)
    : localIngestLake(dir, log);
}
