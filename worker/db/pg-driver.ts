/**
 * Where a Postgres store's sessions come from. Both drivers speak through node-postgres clients, so one store
 * implementation serves both: a Postgres server (a pool of connections from DATABASE_URL) and PGlite (Postgres
 * compiled to WebAssembly, in this process, its data in a folder or in memory), which has exactly one session:
 * there, a transaction holds it and every other statement waits for the transaction to end.
 */
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { lockFolder } from './pg-folder-lock.js';
import { parserFor } from './pg-values.js';

/** A connection held by the caller until release(); release(err) discards a connection left in doubt. */
export interface PgSession {
  readonly client: pg.ClientBase;
  /** Set when a ROLLBACK failed: the connection's state is unknown and it is not reused. */
  broken?: Error;
  release(broken?: Error): void;
}

export interface PgDriver {
  readonly kind: 'pglite' | 'postgres';
  acquire(): Promise<PgSession>;
  end(): Promise<void>;
}

const types = { getTypeParser: parserFor } as unknown as pg.CustomTypesConfig;

/** Every session reads and writes instants in UTC and dates as ISO, as the DuckDB store does. */
const SESSION_SETTINGS = '-c TimeZone=UTC -c DateStyle=ISO,YMD';

export interface ServerDriverOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** Connections this process opens at most. */
  readonly maxConnections?: number;
}

/** A pool of connections to a Postgres server. */
export function serverDriver(opts: ServerDriverOptions): PgDriver {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.maxConnections ?? 8,
    options: SESSION_SETTINGS,
    types,
  });
  // An idle connection the server drops (restart, failover) surfaces here; the pool replaces it on demand.
  pool.on('error', () => undefined);
  const watched = new WeakSet<pg.PoolClient>();
  return {
    kind: 'postgres',
    async acquire() {
      const client = await pool.connect();
      // A connection lost while checked out also fails the statement in flight, which is where it is handled;
      // unheard, the client's 'error' event would end the process.
      if (!watched.has(client)) {
        watched.add(client);
        client.on('error', () => undefined);
      }
      return { client, release: (err) => client.release(err ?? false) };
    },
    end: () => pool.end(),
  };
}

export interface PgliteDriverOptions {
  /** A folder for the database files (created if missing), or 'memory://' for a store that lives in memory. */
  readonly dataDir: string;
}

/**
 * A fresh in-memory store's data folder, taken from the process's first one: creating PGlite runs initdb, which
 * takes seconds, while starting from the image takes a fraction (tests and trials open many memory stores).
 */
let freshMemoryImage: Promise<Blob> | null = null;

async function openLite(dataDir: string): Promise<PGlite> {
  if (!dataDir.startsWith('memory://')) return PGlite.create(dataDir);
  const loadDataDir = await freshMemoryImage?.catch(() => null);
  if (loadDataDir) return PGlite.create(dataDir, { loadDataDir });
  const lite = await PGlite.create(dataDir);
  // Taken before any session writes to it; a failed image is taken again by the next store.
  if (!freshMemoryImage || loadDataDir === null) freshMemoryImage = lite.dumpDataDir('none');
  await freshMemoryImage.catch(() => undefined);
  return lite;
}

/** PGlite in this process: one session, handed to one caller at a time; one store per folder (pg-folder-lock.ts). */
export async function pgliteDriver(opts: PgliteDriverOptions): Promise<PgDriver> {
  let unlock: () => Promise<void> = async () => undefined;
  if (!opts.dataDir.startsWith('memory://')) {
    await mkdir(opts.dataDir, { recursive: true });
    unlock = await lockFolder(opts.dataDir);
  }
  let lite: PGlite;
  let client: pg.Client;
  try {
    lite = await openLite(opts.dataDir);
    client = new pg.Client({ ...createPgConfig(lite), types } as pg.ClientConfig);
    await client.connect();
    // PGlite ignores connection options: the one session is set up here.
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'");
  } catch (err) {
    await unlock();
    throw err;
  }
  let tail: Promise<void> = Promise.resolve();
  return {
    kind: 'pglite',
    async acquire() {
      let release: () => void = () => undefined;
      const held = new Promise<void>((res) => (release = res));
      const before = tail;
      tail = tail.then(() => held);
      await before;
      let done = false;
      return {
        client,
        release: () => {
          if (done) return;
          done = true;
          release();
        },
      };
    },
    async end() {
      await tail;
      await client.end();
      await lite.close();
      await unlock();
    },
  };
}
