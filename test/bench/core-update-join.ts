/**
 * `npx tsx test/bench/core-update-join.ts [rows]`: why derivation inside the ingest transaction is slow.
 *
 * DuckDB 1.5: an `UPDATE t SET … FROM s WHERE s.k = t.k` whose join key `t.k` was itself UPDATEd earlier in the
 * same transaction, on rows appended in that transaction (exactly what ingest → refreshDerived does with
 * local_month), runs one to two orders of magnitude slower than the same UPDATE written with
 * `WHERE (t.a, t.k) IN (SELECT …)`, or than the join on committed rows. This prints the three side by side.
 */
import { DuckDBInstance } from '@duckdb/node-api';

const N = Number(process.argv[2] ?? 200_000);
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();

async function time(label: string, sql: string): Promise<number> {
  const t = performance.now();
  await c.run(sql);
  const ms = performance.now() - t;
  process.stdout.write(`${label.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms\n`);
  return ms;
}

await c.run(`CREATE TABLE u (id VARCHAR PRIMARY KEY, w VARCHAR, m DATE, a VARCHAR, b VARCHAR)`);
await c.run(
  `CREATE TABLE s AS SELECT 'w' || (i % 3) AS w, CAST(DATE '2023-01-01' + INTERVAL (i // 3) MONTH AS DATE) AS m
     FROM range(120) t(i)`,
);
await c.run('BEGIN');
await c.run(`INSERT INTO u SELECT md5(i::VARCHAR), 'w' || (i % 3), NULL, NULL, NULL FROM range(${N}) t(i)`);
await c.run(`UPDATE u SET m = CAST(DATE '2023-01-01' + INTERVAL (hash(id) % 40) MONTH AS DATE)`);
const join = await time(
  `same tx: UPDATE … FROM s WHERE s.m = u.m (${N} rows)`,
  `UPDATE u SET a = 'x' FROM s WHERE s.w = u.w AND s.m = u.m`,
);
const inList = await time(
  'same tx: UPDATE … WHERE (u.w, u.m) IN (SELECT …)',
  `UPDATE u SET b = 'x' WHERE (u.w, u.m) IN (SELECT w, m FROM s)`,
);
await c.run('COMMIT');
await time(
  'committed rows: UPDATE … FROM s WHERE s.m = u.m',
  `UPDATE u SET a = 'y' FROM s WHERE s.w = u.w AND s.m = u.m`,
);
process.stdout.write(`ratio join / in-list inside the transaction: ${(join / inList).toFixed(1)}×\n`);
