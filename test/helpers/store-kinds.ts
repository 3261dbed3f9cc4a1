/**
 * The stores the contract suite runs on: the DuckDB store, PGlite in memory and a real Postgres server (started
 * for the file by postgres-server.ts; skipped with its reason when not installed, outside CI), and the separate
 * processes that work on the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { build } from 'esbuild';
import { describe, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../worker/db/db.js';
import { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { pgliteDriver, serverDriver } from '../../worker/db/pg-driver.js';
import { PgStore } from '../../worker/db/pg-store.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from './postgres-server.js';

export type StoreKind = 'duckdb' | 'pglite' | 'postgres';

export const STORE_KINDS: readonly StoreKind[] = ['duckdb', 'pglite', 'postgres'];

/** Why `kind` cannot run here (only the server may be missing, and never under CI), or null. */
export function storeSkipped(kind: StoreKind): string | null {
  return kind === 'postgres' ? postgresUnavailable() : null;
}

/**
 * One suite per store kind, named `title` with the kind for `%s`. A kind that cannot run here (the server's
 * binaries missing outside CI) gets one skipped test that names the reason, so the run's report says what it did
 * not prove.
 */
export function describeOnStores<K extends StoreKind>(
  title: string,
  kinds: readonly K[],
  body: (kind: K) => void,
): void {
  describe.each(kinds)(title, (kind) => {
    const skipped = storeSkipped(kind);
    if (skipped) it.skip(`skipped: ${skipped}`, () => undefined);
    (skipped ? describe.skip : describe)(kind, () => body(kind));
  });
}

let server: Promise<PostgresServer> | null = null;

/** The file's Postgres server, started on first use. */
export function fileServer(): Promise<PostgresServer> {
  server ??= startPostgres();
  return server;
}

export async function stopFileServer(): Promise<void> {
  if (server) await (await server).stop();
  server = null;
}

export async function openStore(kind: StoreKind, errors: unknown[] = []): Promise<Db> {
  const onEffectError = (e: unknown) => errors.push(e);
  if (kind === 'duckdb') return DuckDbStore.open({ path: ':memory:', onEffectError });
  if (kind === 'pglite')
    return new PgStore({ driver: await pgliteDriver({ dataDir: 'memory://' }), onEffectError });
  return new PgStore({ driver: serverDriver({ url: (await fileServer()).url }), onEffectError });
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKER = join(ROOT, 'test', 'db', 'fixtures', 'pg-worker.ts');
let bundled: Promise<string> | null = null;

/**
 * The worker as one plain module (its packages stay imports, resolved from node_modules): Node starts it in a
 * fraction of the time tsx takes to start and compile, which counts when three start at once on 2 cores.
 */
function workerBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(ROOT, 'node_modules', '.cache', 'store-tests', 'pg-worker.mjs');
    await build({
      entryPoints: [WORKER],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'silent',
    });
    return outfile;
  })();
  return bundled;
}

export interface Worker {
  readonly child: ChildProcess;
  /** Lines the worker printed so far. */
  readonly out: string[];
  /** Its exit code (null when killed by a signal). */
  readonly done: Promise<number | null>;
}

/** A child process running test/db/fixtures/pg-worker.ts with `args`. */
export async function startWorker(args: readonly string[]): Promise<Worker> {
  const child = spawn(process.execPath, [await workerBundle(), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  let err = '';
  child.stdout!.on('data', (b: Buffer) => out.push(...b.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(`pg-worker ${args[0]} exited ${code}: ${err}\n`);
      resolve(code);
    }),
  );
  return { child, out, done };
}
