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
 * BENCH_UNITS (default 5,000,000) sets the file size; the CSV is generated once under .bench/ and reused.
 * Besides wall time, each side's CPU time (this process: DuckDB's threads included) is printed: on a machine
 * shared with other work, wall time stretches with the load while CPU time moves much less.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { DEMO_API_KEY } from '../../data/demo/demo-profile.js';
import { writeUnitsCsv } from '../../data/demo/write-units-csv.js';
import { ingestFile } from '../../worker/cli/ingest-file.js';
import { progressLine } from '../../worker/cli/progress-line.js';
import { normalizeConfig } from '../../worker/config.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { silentLogger } from '../../worker/env.js';
import { ensureDemoTenancy } from '../../worker/demo/demo-tenancy.js';
import { localIngestLake } from '../../worker/lake/local-ingest-lake.js';
import { appOverStore } from '../helpers/app-over-store.js';
import { systemDomain } from '../helpers/system-domain.js';

const UNITS = Number(process.env.BENCH_UNITS ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const LAKE = process.env.BENCH_LAKE !== '0';
const DIR = '.bench';
const CSV = join(DIR, `units-${UNITS >= 1e6 ? `${UNITS / 1e6}m` : `${UNITS / 1e3}k`}.csv`);

const log = (s: string) => process.stderr.write(s + '\n');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** CPU time of this process (user + system) in ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function fresh(path: string): Promise<void> {
  for (const p of [path, `${path}.wal`]) await rm(p, { force: true });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timeRuns(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** One full ingest of the CSV through the CLI path into a fresh file (with the lake in `lakeDir` when given). */
async function ingestInto(dbPath: string, lakeDir: string | null) {
  await fresh(dbPath);
  const store = await openStore({ path: dbPath }, new Date());
  await ensureDemoTenancy(store, new Date());
  const t = performance.now();
  const cpu = cpuMs();
  // When each phase started, for the breakdown (reading = landing the batch; settling = the whole-month work).
  const phaseStart = new Map<string, number>();
  const steps: string[] = [];
  const result = await ingestFile(store, {
    domain: systemDomain(),
    file: CSV,
    format: 'csv',
    partnerId: null,
    now: new Date(),
    ...(lakeDir ? { lake: localIngestLake(lakeDir, silentLogger) } : {}),
    onDeriveStep: (step, stepMs) => steps.push(`${step} ${seconds(stepMs)}`),
    onProgress: (phase, pct) => {
      if (!phaseStart.has(phase)) phaseStart.set(phase, performance.now() - t);
      process.stderr.write(`\r${progressLine(phase, pct, performance.now() - t)}`);
    },
  });
  const ingestMs = performance.now() - t;
  const ingestCpu = cpuMs() - cpu;
  const settleMs = ingestMs - (phaseStart.get('settling') ?? ingestMs);
  log('');
  log(
    `full ingest (CLI path${lakeDir ? ', lake on' : ''}): ${seconds(ingestMs)} — ${result.inserted.toLocaleString('en')} inserted, ` +
      `${result.duplicates.toLocaleString('en')} duplicates, ${result.months_recomputed.length} WABA-months derived`,
  );
  return { store, ingestMs, ingestCpu, settleMs, steps };
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

  // Baseline: DuckDB alone, sniffing and typing the CSV into a table of a fresh database file.
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

  // Ours: the CLI path into a fresh database file.
  const dbPath = join(DIR, 'ingest.duckdb');
  const { store, ...ours } = await ingestInto(dbPath, null);
  const { ingestMs, ingestCpu, settleMs, steps } = ours;
  // Queries over the same store through the HTTP app (no socket).
  const config = normalizeConfig({ DEMO_DATA: 'false', DB_PATH: dbPath });
  const app = appOverStore(store, config);
  const get = async (path: string) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${DEMO_API_KEY}` } });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.text();
  };
  const one = '/v1/usage?phone_number_id=demo-pn-us-shop&from=2023-07&to=2026-11&granularity=month';
  const all = '/v1/usage?from=2023-07&to=2026-11&granularity=month&group_by=phone_number_id';
  const raw = await timeRuns(() => store.all('SELECT count(*) AS n FROM units'));
  const qOne = await timeRuns(() => get(one));
  const qAll = await timeRuns(() => get(all));
  await store.close();
  await fresh(dbPath);

  // The same ingest with the lake on, into another fresh file.
  let lake: Awaited<ReturnType<typeof ingestInto>> | null = null;
  if (LAKE) {
    const lakeDir = join(DIR, 'bench-core-lake');
    await rm(lakeDir, { recursive: true, force: true });
    const lakePath = join(DIR, 'ingest-lake.duckdb');
    lake = await ingestInto(lakePath, lakeDir);
    await lake.store.close();
    await fresh(lakePath);
    await rm(lakeDir, { recursive: true, force: true });
  }

  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const lines = [
    '',
    `| measure (${baseRows.toLocaleString('en')} units, ${(size / 1e6).toFixed(0)} MB CSV) | time | vs baseline | target |`,
    '|---|---|---|---|',
    `| DuckDB CREATE TABLE AS SELECT * FROM read_csv (baseline) | ${seconds(baseMs)} | 1.00× | |`,
    `| full ingest via CLI path (validate, dedupe, merge, derive, price, rollups, ledger) | ${seconds(ingestMs)} | ${(ingestMs / baseMs).toFixed(2)}× | ≤ 1.5× |`,
    `|   of which landing (read, check, derive and price every row, one INSERT) | ${seconds(ingestMs - settleMs)} | ${((ingestMs - settleMs) / baseMs).toFixed(2)}× | |`,
    `|   of which settling (${steps.join(', ')}, commit) | ${seconds(settleMs)} | ${(settleMs / baseMs).toFixed(2)}× | |`,
    `| CPU time: baseline / full ingest | ${seconds(baseCpu)} / ${seconds(ingestCpu)} | ${(ingestCpu / baseCpu).toFixed(2)}× | |`,
    ...(lake
      ? [
          `| full ingest with the ingest lake on (as the CLI runs it; ${(lake.ingestMs / ingestMs).toFixed(2)}× the ingest without) | ${seconds(lake.ingestMs)} | ${(lake.ingestMs / baseMs).toFixed(2)}× | ≤ 1.5× |`,
          `| CPU time: full ingest with the lake | ${seconds(lake.ingestCpu)} | ${(lake.ingestCpu / baseCpu).toFixed(2)}× | |`,
        ]
      : []),
    `| raw SELECT count(*) FROM units, p50 (query baseline) | ${ms(raw.p50)} | 1.00× | |`,
    `| GET /v1/usage one number, monthly: p50 / p95 | ${ms(qOne.p50)} / ${ms(qOne.p95)} | ${(qOne.p50 / raw.p50).toFixed(1)}× | ≤ 10 ms |`,
    `| GET /v1/usage all numbers, monthly: p50 / p95 | ${ms(qAll.p50)} / ${ms(qAll.p95)} | ${(qAll.p50 / raw.p50).toFixed(1)}× | ≤ 100 ms |`,
    '',
    `(${RUNS} runs per query after 5 warm-ups; node ${process.version}; ${new Date().toISOString()}; ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

await main();
