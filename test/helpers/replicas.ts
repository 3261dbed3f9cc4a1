/**
 * Several replicas of the real service (worker/node.ts, child processes) on one Postgres 15 server: the server
 * from postgres-server.ts (its own cluster in a temp folder, on loopback), then N processes with STORE=postgres,
 * each with its own DuckDB file and temp folder, on its own loopback port (kept across a restart, as behind a
 * load balancer). Replicas are killed (SIGKILL: a crash) or stopped (SIGTERM) only by the pids started here; a
 * process that exits without stop() still kills the replicas it started and removes their folder.
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startServer, SERVER_ADMIN, type ServerProcess } from '../adversarial/server-process.js';
import { freePort, startPostgres, type PostgresServer } from './postgres-server.js';

export const REPLICA_ADMIN = SERVER_ADMIN;

export interface ReplicaOptions {
  readonly count: number;
  /** More settings for every replica (e.g. SETTLEMENT_DELAY_MS, JOB_LEASE_GRACE_MS). */
  readonly env?: Readonly<Record<string, string>>;
  /** Settings of replica i alone, given its URL (e.g. REPLICA_URL). */
  readonly envOf?: (i: number, url: string) => Readonly<Record<string, string>>;
  /** A database on a server the caller started and stops (e.g. one server for several sets of replicas). */
  readonly databaseUrl?: string;
}

export interface Replicas {
  /** The shared server's postgres://… URL. */
  readonly databaseUrl: string;
  readonly count: number;
  /** http://127.0.0.1:<port> of replica i (the same port after a restart). */
  url(i: number): string;
  /** Replica i's REPLICA_ID; its lease holder name is `<id>-<pid>`. */
  id(i: number): string;
  /** Replica i's process id, null while it is down. */
  pid(i: number): number | null;
  /** What replica i has written to stderr since its last start (JSON log lines). */
  log(i: number): string;
  /** A request to replica i with the admin token unless `token` says otherwise. */
  fetch(i: number, path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** Sends `signal` to replica i and waits for it to exit. */
  kill(i: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts replica i again (same port, DuckDB file and id) and waits until it listens. */
  restart(i: number): Promise<void>;
  /** One query on the shared server (the test's own connection), rows as pg returns them. */
  query<T extends object>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Stops every replica still running (SIGTERM, then SIGKILL after a bound), then the server and folders. */
  stop(): Promise<void>;
}

const STOP_BOUND_MS = 20_000;

export async function startReplicas(opts: ReplicaOptions): Promise<Replicas> {
  const server: PostgresServer = opts.databaseUrl
    ? { url: opts.databaseUrl, pid: null, stop: async () => undefined }
    : await startPostgres();
  const dir = await mkdtemp(join(tmpdir(), 'replicas-'));
  const client = new pg.Client({ connectionString: server.url });
  // The server may stop first (an interrupted run stops it on its own): that is no error of the test's.
  client.on('error', () => undefined);
  const procs: (ServerProcess | null)[] = Array.from({ length: opts.count }, () => null);
  const ports: number[] = [];
  const ids = Array.from({ length: opts.count }, (_, i) => `replica-${i}`);
  // Each replica is killed by its own exit handler (server-process.ts); only the folder is left to remove.
  const onExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', onExit);
  const stopAll = async () => {
    process.removeListener('exit', onExit);
    await Promise.all(procs.map((_, i) => stopOne(i)));
    await client.end().catch(() => undefined);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };

  const start = async (i: number) => {
    const home = join(dir, ids[i]!);
    await mkdir(join(home, 'tmp'), { recursive: true });
    procs[i] = await startServer({
      dbPath: join(home, 'store.duckdb'),
      tempDir: join(home, 'tmp'),
      env: {
        STORE: 'postgres',
        DATABASE_URL: server.url,
        PORT: String(ports[i]),
        REPLICA_ID: ids[i]!,
        ...opts.env,
        ...opts.envOf?.(i, `http://127.0.0.1:${ports[i]}`),
      },
    });
  };

  const stopOne = async (i: number) => {
    const p = procs[i];
    if (!p) return;
    procs[i] = null;
    const bound = setTimeout(() => p.child.kill('SIGKILL'), STOP_BOUND_MS);
    await p.stop('SIGTERM');
    clearTimeout(bound);
  };

  try {
    await client.connect();
    for (let i = 0; i < opts.count; i++) ports.push(await freePort());
    // All at once, as replicas start in a deployment: the migrations take an advisory lock, and the first tick
    // of each job runs in whichever replica takes its lease first.
    const started = await Promise.allSettled(procs.map((_, i) => start(i)));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    await stopAll();
    throw err;
  }

  const up = (i: number): ServerProcess => {
    const p = procs[i];
    if (!p) throw new Error(`replica ${i} is down`);
    return p;
  };

  return {
    databaseUrl: server.url,
    count: opts.count,
    url: (i) => `http://127.0.0.1:${ports[i]}`,
    id: (i) => ids[i]!,
    pid: (i) => procs[i]?.pid ?? null,
    log: (i) => up(i).stderr(),
    fetch: (i, path, init = {}) => {
      const { token = REPLICA_ADMIN, ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set('authorization', `Bearer ${token}`);
      if (rest.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`http://127.0.0.1:${ports[i]}${path}`, { ...rest, headers });
    },
    async kill(i, signal) {
      const p = up(i);
      procs[i] = null;
      await p.stop(signal);
    },
    async restart(i) {
      if (procs[i]) throw new Error(`replica ${i} is still running`);
      await start(i);
    },
    async query<T extends object>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    stop: stopAll,
  };
}
