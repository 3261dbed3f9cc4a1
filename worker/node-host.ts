/** Node-only host capabilities handed to createApp: temp files for bulk loads and Parquet export. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bind, type DuckDbStore } from './db/duckdb-store.js';
import type { SqlParams } from './db/db.js';
import type { HostCapabilities, Logger } from './env.js';

export function nodeHost(store: DuckDbStore): HostCapabilities {
  async function withTempFile<T>(
    bytes: Uint8Array,
    extension: string,
    fn: (path: string) => Promise<T>,
  ): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'convo-'));
    const path = join(dir, `body.${extension.replace(/[^a-z0-9.]/gi, '')}`);
    try {
      await writeFile(path, bytes);
      return await fn(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return {
    withTempFile,
    async toParquet(sql: string, params?: SqlParams) {
      const dir = await mkdtemp(join(tmpdir(), 'convo-pq-'));
      const path = join(dir, 'out.parquet');
      try {
        // COPY cannot bind parameters, so the bound query is materialised first in a temp table.
        const table = `export_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e9).toString(36)}`;
        await store.writeExclusive(async (conn) => {
          const b = bind(params);
          await conn.run(`CREATE TEMP TABLE ${table} AS ${sql}`, b.values, b.types);
          try {
            await conn.run(`COPY ${table} TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`);
          } finally {
            await conn.run(`DROP TABLE IF EXISTS ${table}`);
          }
        });
        return new Uint8Array(await readFile(path));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
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
