/** Node-only host capabilities handed to createApp: temp files for bulk loads, exports and the SQL sandbox. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueryLimits } from './config.js';
import type { DuckDbStore } from './db/duckdb-store.js';
import type { SqlParams } from './db/db.js';
import type { Logger } from './env.js';
import type { HostCapabilities } from './app-deps.js';
import { copyToFile, exportStream } from './exports/file-export.js';
import { writeLake } from './exports/lake-export.js';
import type { IngestLake } from './lake/ingest-lake.js';
import { createQueryService } from './sql/query-service.js';
import { cleanStaleTempFiles, withTempFile } from './node-temp-files.js';
import { postWebhook, systemLookup, type LookupHost } from './http/post-webhook.js';

export function nodeHost(
  store: DuckDbStore,
  queryLimits?: QueryLimits,
  outbound: { lookup?: LookupHost; tempDir?: string | null; ingestLake?: IngestLake } = {},
): HostCapabilities {
  const lookup = outbound.lookup ?? systemLookup;
  const tempDir = outbound.tempDir ?? null;
  return {
    withTempFile: (bytes, extension, fn) => withTempFile(tempDir, bytes, extension, fn),
    cleanTempFiles: () => cleanStaleTempFiles(tempDir),
    lookupHost: lookup,
    postWebhook: (url, req) => postWebhook(url, req, lookup),
    async toParquet(sql: string, params?: SqlParams, metadata: Readonly<Record<string, string>> = {}) {
      const dir = await mkdtemp(join(tmpdir(), 'convo-pq-'));
      const path = join(dir, 'out.parquet');
      try {
        await copyToFile(store.instance, sql, params ?? {}, path, 'parquet', metadata);
        return new Uint8Array(await readFile(path));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    exportStream: (sql, params, format, metadata) =>
      exportStream(store.instance, sql, params, format, metadata),
    writeLake: (req) => writeLake(store.instance, req),
    ...(outbound.ingestLake ? { ingestLake: outbound.ingestLake } : {}),
    ...(queryLimits ? { tenantQuery: createQueryService(store.instance, queryLimits) } : {}),
  };
}

export function jsonLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = { debug: 0, info: 1, warn: 2, error: 3 };
  const emit = (lvl: keyof typeof order) => (msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < order[level]) return;
    process.stderr.write(
      JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }) + '\n',
    );
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
