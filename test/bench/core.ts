/**
 * `npm run bench`: the core figures, measured side by side in one run.
 *
 * 1. Ingest: DuckDB's own `CREATE TABLE t AS SELECT * FROM read_csv(file)` into a fresh database file (the
 *    baseline) against our full ingest of the same file into another fresh file through the CLI path (one
 *    batch: landing = parse, validation and every per-row derivation in one INSERT; settling = new numbers,
 *    repeats, free tier, volume tiers, rollups, ledger).
 * 2. Queries: p50/p95 of GET /v1/usage through app.request for one number and for all numbers (monthly), over
 *    the ingested units, against a raw `SELECT count(*) FROM units` on the same store.
 *
 * 3. The same ingest once more into a fresh file with the ingest lake on, as the CLI and the service run it (the
 *    batch also archived as month-partitioned Parquet); BENCH_LAKE=0 leaves it out.
 *
 * 4. BENCH_STORE=duckdb,postgres (or pglite): the ingest of 1. once per money store listed, the first the
 *    in that order (core-money-plane.ts: PGlite in a folder, a Postgres 15 server started for the run), each
 *    ratio to the baseline and to the STORE=duckdb ingest, and the charges each money plane holds after it (they
 *    must be the same everywhere). The lake run and the queries use the first store.
 *    BENCH_STORE_ROUNDS=N ingests with every store N times, the order reversed each round (A B, B A, A B, …), and
 *    compares each store's median: on a shared 2-core machine two ingests of the same file differ by more than
 *    the 10 % the ratio is held to, so one run each cannot show it.
 *
 * BENCH_UNITS (default 5,000,000) sets the file size; the CSV is generated once under .bench/ and reused.
 * Besides wall time, each side's CPU time (this process: DuckDB's threads included) is printed: on a machine
 * shared with other work, wall time stretches with the load while CPU time moves much less.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { writeUnitsCsv } from '../../data/demo/write-units-csv.js';
import { BenchServer, benchStores } from './core-money-plane.js';
import { cpuMs, fresh, ingestInto, log, measureQueries, seconds, type Ingested } from './core-ingest.js';
import { onStop, stopAll } from './stop-on-signal.js';

const UNITS = Number(process.env.BENCH_UNITS ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const LAKE = process.env.BENCH_LAKE !== '0';
const STORES = benchStores(process.env.BENCH_STORE);
const ROUNDS = Math.max(1, Math.trunc(Number(process.env.BENCH_STORE_ROUNDS ?? 1)) || 1);
const DIR = '.bench';
const CSV = join(DIR, `units-${UNITS >= 1e6 ? `${UNITS / 1e6}m` : `${UNITS / 1e3}k`}.csv`);

/** The usage charges the money plane holds after an ingest: every store must hold the same. */
async function charges(i: Ingested): Promise<string> {
  const [r] = await i.plane.money.all<{ n: string; total: string }>(
    `SELECT CAST(count(*) AS VARCHAR) AS n, CAST(COALESCE(-sum(amount), 0) AS VARCHAR) AS total
       FROM ledger_movements WHERE kind IN ('charge', 'adjustment')`,
  );
  return `${r?.n ?? 0} postings, ${Number(r?.total ?? 0).toFixed(6)} charged`;
}

/** An ingest, its charges read, and every store closed and removed. */
async function ingestOnce(
  kind: (typeof STORES)[number],
  server: BenchServer,
  lakeDir: string | null,
  round = 0,
) {
  // A file name of its own per round: the process keeps one DuckDB instance per path.
  const dbPath = join(DIR, lakeDir ? 'ingest-lake.duckdb' : `ingest-${kind}-${round}.duckdb`);
  const withQueries = !lakeDir && round === 0 && kind === STORES[0];
  const i = await ingestInto(kind, CSV, dbPath, lakeDir, server);
  try {
    const queries = withQueries ? await measureQueries(i, RUNS) : null;
    return { ...i, charged: await charges(i), queries };
  } finally {
    await i.plane.close();
    await i.store.close();
    await fresh(dbPath);
  }
}

async function baseline(): Promise<{ baseMs: number; baseCpu: number; baseRows: number }> {
  // DuckDB alone, sniffing and typing the CSV into a table of a fresh database file.
  const basePath = join(DIR, 'baseline.duckdb');
  await fresh(basePath);
  const inst = await DuckDBInstance.create(basePath);
  const conn = await inst.connect();
  const t = performance.now();
  const cpu = cpuMs();
  await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('${CSV}')`);
  const baseMs = performance.now() - t;
  const baseCpu = cpuMs() - cpu;
  const baseRows = Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]?.[0]);
  conn.closeSync();
  inst.closeSync();
  await fresh(basePath);
  log(`baseline CREATE TABLE AS read_csv: ${seconds(baseMs)} (${baseRows.toLocaleString('en')} rows)`);
  return { baseMs, baseCpu, baseRows };
}

async function main(): Promise<void> {
  if (!existsSync(CSV)) {
    log(`generating ${CSV} (${UNITS.toLocaleString('en')} units, once) …`);
    await writeUnitsCsv(CSV, { units: UNITS }, (n) =>
      process.stderr.write(`\r  ${((100 * n) / UNITS).toFixed(0).padStart(3)} %`),
    );
    log('');
  }
  const size = (await stat(CSV)).size;
  log(`file: ${CSV} (${(size / 1e6).toFixed(0)} MB)`);
  const loadBefore = loadavg();
  const { baseMs, baseCpu, baseRows } = await baseline();

  const server = new BenchServer();
  onStop(() => server.stop());
  const all: Awaited<ReturnType<typeof ingestOnce>>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? STORES : [...STORES].reverse();
    for (const kind of order) all.push(await ingestOnce(kind, server, null, round));
  }
  // Each store's median run (the lower middle one of an even count) stands for it below.
  const runsOf = (kind: string) => all.filter((r) => r.kind === kind);
  const runs = STORES.map((kind) => {
    const sorted = runsOf(kind).sort((a, b) => a.ingestMs - b.ingestMs);
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  });
  // The same ingest with the lake on, into another fresh file.
  let lake: Awaited<ReturnType<typeof ingestOnce>> | null = null;
  if (LAKE) {
    const lakeDir = join(DIR, 'bench-core-lake');
    await rm(lakeDir, { recursive: true, force: true });
    lake = await ingestOnce(STORES[0]!, server, lakeDir);
    await rm(lakeDir, { recursive: true, force: true });
  }
  await stopAll();

  // Ratios are to the single-process setup (STORE=duckdb) when it ran, whatever the order of the runs.
  const ref = runs.find((r) => r.kind === 'duckdb') ?? runs[0]!;
  const q = all.find((r) => r.queries)!.queries!;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  // With rounds, the verdict is the median of each round's ratio (the two ingests next to each other), which a
  // machine that slows down or speeds up during the run moves far less than the ratio of the medians.
  const ratioLine = (kind: string, refKind: string) => {
    const perRound = Array.from({ length: ROUNDS }, (_, i) => {
      const a = runsOf(kind)[i]!;
      const b = runsOf(refKind)[i]!;
      return a.ingestMs / b.ingestMs;
    });
    const sorted = [...perRound].sort((a, b) => a - b);
    const mid =
      sorted.length % 2
        ? sorted[(sorted.length - 1) / 2]!
        : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    const label =
      ROUNDS > 1
        ? ` (median of the rounds' ratios: ${perRound.map((v) => `${v.toFixed(2)}×`).join(', ')})`
        : '';
    return `| ratio ingest STORE=${kind} / STORE=${refKind}${label} | | **${mid.toFixed(2)}×** | ≤ 1.10× ${mid <= 1.1 ? 'MET' : 'MISSED'} |`;
  };
  const perStore = runs.flatMap((r) => [
    `| full ingest via CLI path, STORE=${r.kind} (validate, dedupe, merge, derive, price, rollups, ledger)${
      ROUNDS > 1
        ? `, median of ${ROUNDS} rounds (${runsOf(r.kind)
            .map((o) => seconds(o.ingestMs))
            .join(', ')} in run order)`
        : ''
    } | ${seconds(r.ingestMs)} | ${x(r.ingestMs, baseMs)} | ≤ 1.5× |`,
    `|   of which landing (read, check, derive and price every row, one INSERT) | ${seconds(r.ingestMs - r.settleMs)} | ${x(r.ingestMs - r.settleMs, baseMs)} | |`,
    `|   of which settling (${r.steps.join(', ')}, commit${r.plane.split ? ', then charges posted and rollups published on the money plane' : ''} ${seconds(r.commitMs)}) | ${seconds(r.settleMs)} | ${x(r.settleMs, baseMs)} | |`,
    `|   CPU time: this process${r.serverCpu > 0 ? ' / the Postgres server' : ''} | ${seconds(r.ingestCpu)}${r.serverCpu > 0 ? ` / ${seconds(r.serverCpu)}` : ''} | ${x(r.ingestCpu, baseCpu)} | |`,
    `|   money plane after it: ${r.charged}${r === ref ? '' : r.charged === ref.charged ? ' (the same as STORE=' + ref.kind + ')' : ' (DIFFERS from STORE=' + ref.kind + ')'}${runsOf(r.kind).every((o) => o.charged === r.charged) ? '' : ' (DIFFERS between its rounds)'} | | | |`,
    ...(r === ref ? [] : [ratioLine(r.kind, ref.kind)]),
  ]);
  const lines = [
    '',
    `| measure (${baseRows.toLocaleString('en')} units, ${(size / 1e6).toFixed(0)} MB CSV) | time | vs baseline | target |`,
    '|---|---|---|---|',
    `| DuckDB CREATE TABLE AS SELECT * FROM read_csv (baseline), CPU ${seconds(baseCpu)} | ${seconds(baseMs)} | 1.00× | |`,
    ...perStore,
    ...(lake
      ? [
          `| full ingest with the ingest lake on, STORE=${lake.kind} (as the CLI runs it; ${x(lake.ingestMs, ref.ingestMs)} the ingest without) | ${seconds(lake.ingestMs)} | ${x(lake.ingestMs, baseMs)} | ≤ 1.5× |`,
          `| CPU time: full ingest with the lake | ${seconds(lake.ingestCpu)} | ${x(lake.ingestCpu, baseCpu)} | |`,
        ]
      : []),
    `| raw SELECT count(*) FROM units, p50 (query baseline) | ${ms(q.raw.p50)} | 1.00× | |`,
    `| GET /v1/usage one number, monthly: p50 / p95 | ${ms(q.one.p50)} / ${ms(q.one.p95)} | ${(q.one.p50 / q.raw.p50).toFixed(1)}× | ≤ 10 ms |`,
    `| GET /v1/usage all numbers, monthly: p50 / p95 | ${ms(q.all.p50)} / ${ms(q.all.p95)} | ${(q.all.p50 / q.raw.p50).toFixed(1)}× | ≤ 100 ms |`,
    '',
    `(${RUNS} runs per query after 5 warm-ups, STORE=${runs[0]!.kind}; node ${process.version}; ${new Date().toISOString()}; ` +
      `load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

try {
  await main();
} finally {
  await stopAll();
}
