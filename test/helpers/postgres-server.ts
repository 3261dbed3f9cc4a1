/**
 * A real Postgres 15 server for tests: Debian's binaries, a fresh cluster in a temp folder, listening on
 * 127.0.0.1 on a free port, started once per test file and stopped by pg_ctl at its end. As root the server runs
 * as the `postgres` user (Postgres refuses to run as root). With DATABASE_URL set, that server is used instead, in
 * a database made for the file and dropped after it. Without the binaries the caller gets the reason to skip,
 * except under CI, where a missing server is a failure: CI installs it (.ci/run).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  /** postgres://… of a database the caller may fill as it likes. */
  readonly url: string;
  /** The server's process id, null for an outside server. */
  readonly pid: number | null;
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /** fsync and synchronous commit on (for benchmarks); tests run without them: a crashed test cluster is discarded. */
  readonly durable?: boolean;
}

/** Why the server cannot be had here, or null when it can. Under CI this throws instead. */
export function postgresUnavailable(): string | null {
  if (process.env.DATABASE_URL) return null;
  if (existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'))) return null;
  const why = `PostgreSQL 15 binaries not found in ${PG_BIN} (apt-get install postgresql, or set DATABASE_URL)`;
  if (process.env.CI) throw new Error(`${why}: CI must run the Postgres store tests`);
  return why;
}

export async function startPostgres(opts: PostgresServerOptions = {}): Promise<PostgresServer> {
  const why = postgresUnavailable();
  if (why) throw new Error(why);
  if (process.env.DATABASE_URL) return outsideDatabase(process.env.DATABASE_URL);
  const asRoot = process.getuid?.() === 0;
  const exec = (bin: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args])
      : run(join(PG_BIN, bin), args);
  const dir = await mkdtemp(join(tmpdir(), 'pg-test-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    await chown(dir, uid, gid);
  }
  const data = join(dir, 'data');
  await exec('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const port = await freePort();
  const durability = opts.durable
    ? []
    : ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off'];
  const conf = [`listen_addresses = '127.0.0.1'`, `port = ${port}`, `unix_socket_directories = '${dir}'`];
  await appendFile(join(data, 'postgresql.conf'), [...conf, ...durability, ''].join('\n'));
  await exec('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const pid = Number((await run('head', ['-1', join(data, 'postmaster.pid')])).stdout.trim());
  // A test process that dies without its afterAll still takes its server with it.
  const onExit = () => {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pid,
    async stop() {
      process.removeListener('exit', onExit);
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(onExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function outsideDatabase(url: string): Promise<PostgresServer> {
  return createDatabase(url, `store_test_${process.pid}_${Date.now()}`);
}

/** A new empty database `name` on the server at `url` (a superuser's URL); stop() drops it. */
export async function createDatabase(url: string, name: string): Promise<PostgresServer> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name} is not a plain identifier`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.toString(),
    pid: null,
    async stop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A loopback port free at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}
