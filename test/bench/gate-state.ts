/**
 * npm run bench:gate-state — how fast the send gate's write-behind lands a batch of customer states and folds
 * it into the snapshot, with the one SQL text every store runs (worker/gate/gate-state-sql.ts: the batch as
 * one JSON array read by json_array_elements). Baseline, in the same run: the DuckDB-only text it replaced
 * (DuckDB's from_json into typed columns), on the same DuckDB store. Then the shared text on DuckDB, PGlite
 * and a Postgres 15 server started for the run. States appended per second; ratios to the baseline.
 *
 *   BENCH_GATE_BATCH=10000 BENCH_GATE_ROUNDS=5 npm run bench:gate-state
 */
import { loadavg } from 'node:os';
import type { Db } from '../../worker/db/db.js';
import { openMoneyStore } from '../../worker/db/open-money-store.js';
import { emptyCustomerState } from '../../worker/gate/customer-state.js';
import { APPEND_SQL, COMPACT_SQL, encodeBatch } from '../../worker/gate/gate-state-sql.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { startPostgres } from '../helpers/postgres-server.js';

const BATCH = Number(process.env.BENCH_GATE_BATCH ?? 10_000);
const ROUNDS = Number(process.env.BENCH_GATE_ROUNDS ?? 5);

// The DuckDB-only append the shared text replaced, kept here as the baseline.
const SHAPE = JSON.stringify({
  p: 'VARCHAR',
  c: 'VARCHAR',
  ...Object.fromEntries(['csw', 'ref', 'fep', 'mkt', 'utl', 'auth', 'svc'].map((t) => [t, 'BIGINT'])),
});
const DUCKDB_APPEND = `
  INSERT INTO gate_state_log
  SELECT nextval('gate_state_seq'), r.p, r.c, r.csw, r.ref, r.fep, r.mkt, r.utl, r.auth, r.svc, $now::BIGINT
    FROM (SELECT unnest(from_json($batch, '[${SHAPE}]')) AS r)`;

function batch(round: number): string {
  const now = Date.parse('2026-03-01T12:00:00Z');
  return encodeBatch(
    Array.from({ length: BATCH }, (_, i) => {
      const state = emptyCustomerState();
      state.cswUntil = now + i;
      state.conv.marketing = now + round * 1000 + i;
      return { phone: `pn-${i % 50}`, customer: `wa-${round}-${i} "quoted"`, state };
    }),
  );
}

/** States appended per second over ROUNDS batches (each round a new batch), compaction not counted. */
async function appendRate(db: Db, sql: string): Promise<number> {
  const batches = Array.from({ length: ROUNDS }, (_, r) => batch(r));
  await db.run(sql, { batch: batch(99), now: '1' });
  const t0 = performance.now();
  for (const b of batches) await db.run(sql, { batch: b, now: '1' });
  const rate = (ROUNDS * BATCH) / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  await db.transaction(async (tx) => {
    const [m] = await tx.all<{ max: string }>('SELECT max(seq)::VARCHAR AS max FROM gate_state_log');
    await tx.run(COMPACT_SQL, { max: m!.max });
    await tx.run('DELETE FROM gate_state_log WHERE seq <= $max::BIGINT', { max: m!.max });
  });
  console.log(
    `    compaction of ${(ROUNDS + 1) * BATCH} logged states: ${Math.round(performance.now() - t1)} ms`,
  );
  return rate;
}

async function main(): Promise<void> {
  console.log(`gate state append, batches of ${BATCH} states × ${ROUNDS}; load ${loadavg()[0]!.toFixed(1)}`);
  const now = new Date();
  const rows: [string, number][] = [];
  const duck = await openStore({ path: ':memory:' }, now);
  rows.push(['DuckDB, from_json (baseline)', await appendRate(duck, DUCKDB_APPEND)]);
  rows.push(['DuckDB, shared text', await appendRate(duck, APPEND_SQL)]);
  await duck.close();
  const lite = await openMoneyStore({ moneyStore: { kind: 'pglite', dir: null } });
  rows.push(['PGlite, shared text', await appendRate(lite, APPEND_SQL)]);
  await lite.close();
  const server = await startPostgres({ durable: true });
  try {
    const pg = await openMoneyStore({ moneyStore: { kind: 'postgres', url: server.url } });
    rows.push(['Postgres 15, shared text', await appendRate(pg, APPEND_SQL)]);
    await pg.close();
  } finally {
    await server.stop();
  }
  const base = rows[0]![1];
  for (const [name, rate] of rows)
    console.log(
      `${name.padEnd(30)} ${Math.round(rate).toString().padStart(9)} states/s  ×${(rate / base).toFixed(2)}`,
    );
  console.log(`load after: ${loadavg()[0]!.toFixed(1)}`);
}

await main();
