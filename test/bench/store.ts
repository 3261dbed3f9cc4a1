/**
 * npm run bench:store — a money-shaped transaction (insert a ledger movement, add its amount to the number's
 * balance row; 100 numbers) per second on each store, in one run: the DuckDB store (a file), PGlite (a folder)
 * and a Postgres 15 server started for the run (fsync and synchronous commit on, as in production), one
 * transaction at a time and, on the server, also from several connections at once. Ratios are to DuckDB's
 * one-at-a-time figure measured in the same run.
 *
 *   BENCH_STORE_OPS=2000 BENCH_STORE_CONNECTIONS=8 npm run bench:store
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../worker/db/db.js';
import { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { pgliteDriver, serverDriver } from '../../worker/db/pg-driver.js';
import { PgStore } from '../../worker/db/pg-store.js';
import { startPostgres } from '../helpers/postgres-server.js';

const OPS = Number(process.env.BENCH_STORE_OPS ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_STORE_CONNECTIONS ?? 8);
const NUMBERS = 100;

async function prepare(db: Db): Promise<void> {
  await db.run('CREATE TABLE bench_balances (phone VARCHAR PRIMARY KEY, balance DECIMAL(18, 6) NOT NULL)');
  await db.run(
    `CREATE TABLE bench_movements (movement_id VARCHAR PRIMARY KEY, phone VARCHAR NOT NULL,
                                   amount DECIMAL(18, 6) NOT NULL, booked_at TIMESTAMPTZ NOT NULL)`,
  );
  await db.run("INSERT INTO bench_balances SELECT 'n' || i, 0 FROM generate_series(1, 100) t(i)");
}

function moneyTx(db: Db, i: number): Promise<void> {
  const phone = `n${(i % NUMBERS) + 1}`;
  return db.transaction(async (tx) => {
    await tx.run('INSERT INTO bench_movements VALUES ($id, $phone, $amount::DECIMAL(18, 6), now())', {
      id: `m${i}`,
      phone,
      amount: '-0.012345',
    });
    await tx.run(
      'UPDATE bench_balances SET balance = balance + $amount::DECIMAL(18, 6) WHERE phone = $phone',
      {
        phone,
        amount: '-0.012345',
      },
    );
  });
}

/** Runs OPS transactions from `lanes` concurrent callers; ops/s, checked against the balances afterwards. */
async function measure(db: Db, lanes: number, offset: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < OPS) await moneyTx(db, offset + next++);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const [sum] = await db.all<{ s: string }>('SELECT CAST(sum(balance) AS VARCHAR) AS s FROM bench_balances');
  const micros = 12345n * BigInt(offset + OPS);
  const expected = `-${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
  if (sum!.s !== expected) throw new Error(`balances sum ${sum!.s}, expected ${expected}`);
  return OPS / seconds;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-store-'));
  const server = await startPostgres({ durable: true });
  const results: [string, number][] = [];
  try {
    const duck = await DuckDbStore.open({ path: join(dir, 'bench.duckdb') });
    await prepare(duck);
    results.push(['DuckDB file, 1 at a time', await measure(duck, 1, 0)]);
    await duck.close();

    const lite = new PgStore({ driver: await pgliteDriver({ dataDir: join(dir, 'pglite') }) });
    await prepare(lite);
    results.push(['PGlite folder, 1 at a time', await measure(lite, 1, 0)]);
    await lite.close();

    const pg = new PgStore({ driver: serverDriver({ url: server.url, maxConnections: CONNECTIONS }) });
    await prepare(pg);
    results.push(['Postgres 15 server, 1 at a time', await measure(pg, 1, 0)]);
    results.push([`Postgres 15 server, ${CONNECTIONS} connections`, await measure(pg, CONNECTIONS, OPS)]);
    await pg.close();
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const base = results[0]![1];
  console.log(
    `money transaction (insert a movement + update a balance), ${OPS} per store; load ${loadavg()[0]!.toFixed(1)}`,
  );
  for (const [name, rate] of results)
    console.log(
      `${name.padEnd(36)} ${rate.toFixed(0).padStart(7)} tx/s  ${(rate / base).toFixed(2)}× DuckDB`,
    );
}

await main();
