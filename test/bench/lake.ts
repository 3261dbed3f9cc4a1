/**
 * `npm run bench:lake`: what the ingest lake costs and what a rebuild takes, measured side by side in one run.
 *
 * 1. Baseline: the full ingest of one CSV (the CLI path, one batch) into a fresh DuckDB file without a lake.
 * 2. The same ingest into another fresh file with the lake on (the batch spooled as Parquet inside its landing
 *    transaction, fsynced, published after the commit).
 * 3. The rebuild: that lake alone (its reference data and the batch) replayed into a third fresh file, against
 *    the ingest with the lake.
 * 4. Reference writes: 100 phone numbers registered one transaction each, without the lake and then with each
 *    change archived (spool, fsync, publish), against each other; and the lake's first change (the whole
 *    reference data, written before the first batch, inside the ingest with the lake).
 *
 * BENCH_UNITS (default 1,000,000) sets the file size; the CSV is generated once under .bench/ and reused.
 */
import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { writeUnitsCsv } from '../../data/demo/write-units-csv.js';
import { ingestFile } from '../../worker/cli/ingest-file.js';
import { replayLake } from '../../worker/cli/replay-lake.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { ensureDemoTenancy } from '../../worker/demo/demo-tenancy.js';
import { silentLogger } from '../../worker/env.js';
import { archiveReference } from '../../worker/lake/archive-reference.js';
import { localIngestLake } from '../../worker/lake/local-ingest-lake.js';
import { createPhoneNumber } from '../../worker/tenancy/wabas.js';
import { systemDomain } from '../helpers/system-domain.js';

const UNITS = Number(process.env.BENCH_UNITS ?? 1_000_000);
const DIR = '.bench';
const CSV = join(DIR, `units-${UNITS >= 1e6 ? `${UNITS / 1e6}m` : `${UNITS / 1e3}k`}.csv`);
const LAKE = join(DIR, 'bench-ingest-lake');

const log = (s: string) => process.stderr.write(s + '\n');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function fresh(path: string): Promise<void> {
  for (const p of [path, `${path}.wal`]) await rm(p, { force: true });
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) total += (await stat(join(e.parentPath, e.name))).size;
  return total;
}

/** One full ingest of the CSV into a fresh file; returns its wall time. */
async function ingestInto(path: string, lake: boolean): Promise<{ ms: number; inserted: number }> {
  await fresh(path);
  const store = await openStore({ path }, new Date());
  try {
    await ensureDemoTenancy(store, new Date());
    const t = performance.now();
    const r = await ingestFile(store, {
      domain: systemDomain(),
      file: CSV,
      format: 'csv',
      partnerId: null,
      now: new Date(),
      ...(lake ? { lake: localIngestLake(LAKE, silentLogger) } : {}),
    });
    return { ms: performance.now() - t, inserted: r.inserted };
  } finally {
    await store.close();
  }
}

/** 100 numbers registered through the route's own steps, each in its transaction; with the lake, archived. */
async function registerNumbers(path: string, withLake: boolean): Promise<{ ms: number; firstMs: number }> {
  await fresh(path);
  const lake = withLake ? localIngestLake(join(DIR, 'bench-ref-lake'), silentLogger) : undefined;
  await rm(join(DIR, 'bench-ref-lake'), { recursive: true, force: true });
  const store = await openStore({ path }, new Date());
  try {
    // With the lake, the first change carries the whole reference data (markets, shipped cards, the tenancy).
    const t0 = performance.now();
    await ensureDemoTenancy(store, new Date(), lake);
    const firstMs = performance.now() - t0;
    const t = performance.now();
    for (let i = 0; i < 100; i++)
      await store.transaction(async (tx) => {
        const id = `bench-pn-${i}`;
        await createPhoneNumber(tx, { phone_number_id: id, waba_id: 'demo-waba-us' }, new Date());
        await archiveReference(tx, lake, { tables: [{ table: 'phone_numbers', keys: [id] }] }, new Date());
      });
    return { ms: performance.now() - t, firstMs };
  } finally {
    await store.close();
    await rm(join(DIR, 'bench-ref-lake'), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(CSV)) {
    log(`generating ${CSV} (${UNITS.toLocaleString('en')} units, once) …`);
    await writeUnitsCsv(CSV, { units: UNITS });
  }
  const size = (await stat(CSV)).size;
  await rm(LAKE, { recursive: true, force: true });
  log(`file: ${CSV} (${(size / 1e6).toFixed(0)} MB)`);
  const base = await ingestInto(join(DIR, 'lake-off.duckdb'), false);
  log(`ingest without the lake: ${seconds(base.ms)}`);
  const withLake = await ingestInto(join(DIR, 'lake-on.duckdb'), true);
  log(`ingest with the lake: ${seconds(withLake.ms)}`);
  const lakeBytes = await sizeOf(LAKE);

  const rebuiltPath = join(DIR, 'rebuilt.duckdb');
  await fresh(rebuiltPath);
  const rebuilt = await openStore({ path: rebuiltPath }, new Date());
  const t = performance.now();
  const summary = await replayLake(rebuilt, LAKE, systemDomain());
  const rebuildMs = performance.now() - t;
  const [n] = await rebuilt.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM units');
  await rebuilt.close();
  log(
    `rebuild: ${seconds(rebuildMs)} (${summary.reference_changes} reference change, ${summary.batches} batch, ${n?.n} units)`,
  );
  const { ms: refOff, firstMs: tenancyOff } = await registerNumbers(join(DIR, 'ref-off.duckdb'), false);
  const { ms: refOn, firstMs: tenancyOn } = await registerNumbers(join(DIR, 'ref-on.duckdb'), true);
  log(`100 numbers registered: ${seconds(refOff)} without the lake, ${seconds(refOn)} with it`);
  for (const p of ['lake-off.duckdb', 'lake-on.duckdb', 'rebuilt.duckdb', 'ref-off.duckdb', 'ref-on.duckdb'])
    await fresh(join(DIR, p));

  const lines = [
    '',
    `| measure (${UNITS.toLocaleString('en')} units, ${(size / 1e6).toFixed(0)} MB CSV, one batch) | time | ratio |`,
    '|---|---|---|',
    `| full ingest, lake off (baseline) | ${seconds(base.ms)} | 1.00× |`,
    `| full ingest, lake on (spool + fsync + publish) | ${seconds(withLake.ms)} | ${(withLake.ms / base.ms).toFixed(2)}× |`,
    `| rebuild of that lake into a fresh file | ${seconds(rebuildMs)} | ${(rebuildMs / withLake.ms).toFixed(2)}× the ingest with the lake |`,
    `| 100 numbers registered, one transaction each, lake off | ${seconds(refOff)} | 1.00× |`,
    `| the same with each change archived in the lake | ${seconds(refOn)} | ${(refOn / refOff).toFixed(2)}× (${(refOn / 100).toFixed(1)} ms a change) |`,
    `| demo tenancy created, lake off | ${seconds(tenancyOff)} | 1.00× |`,
    `| the same as the lake's first change (all reference data, ~2k rows) | ${seconds(tenancyOn)} | ${(tenancyOn / tenancyOff).toFixed(2)}×; ${(tenancyOn / withLake.ms).toFixed(3)}× the ingest with the lake |`,
    `| lake size on disk (Parquet, snappy) | ${(lakeBytes / 1e6).toFixed(1)} MB | ${(lakeBytes / size).toFixed(2)}× the CSV |`,
    '',
    `(units inserted: ${withLake.inserted.toLocaleString('en')} / rebuilt: ${n?.n.toLocaleString('en')}; node ${process.version}; ` +
      `${new Date().toISOString()}; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

await main();
