/**
 * `npm run bench:export`: a one-year export of every number of the generated bench store, measured side by side
 * with DuckDB's own `COPY … TO parquet` of the same rows in the same run.
 *
 * 1. Raw units: GET /v1/exports/units over a loopback HTTP server (read to the last byte) against
 *    `COPY (SELECT * FROM units WHERE local_day in the year) TO 'x.parquet'`.
 * 2. Daily usage: GET /v1/usage?granularity=day&format=parquet (every key, one year) against
 *    `COPY (SELECT * FROM usage_daily WHERE local_day in the year) TO 'x.parquet'`.
 * 3. The lake: `npm run export`'s writer (12 monthly files) against the same baseline as 1.
 *
 * BENCH_UNITS (default 5,000,000) sets the store size; the CSV and the ingested store are built once under .bench/
 * and reused. BENCH_REPEAT (default 3) runs each measure that many times and keeps the median.
 */
import { serve, type ServerType } from '@hono/node-server';
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DEMO_API_KEY } from '../../data/demo/demo-profile.js';
import { writeUnitsCsv } from '../../data/demo/write-units-csv.js';
import { ingestFile } from '../../worker/cli/ingest-file.js';
import { normalizeConfig } from '../../worker/config.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { writeLake } from '../../worker/exports/lake-export.js';
import { ensureDemoTenancy } from '../../worker/demo/demo-tenancy.js';
import { appOverStore } from '../helpers/app-over-store.js';
import { systemDomain } from '../helpers/system-domain.js';

const UNITS = Number(process.env.BENCH_UNITS ?? 5_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const YEAR = process.env.BENCH_YEAR ?? '2025';
const DIR = resolve('.bench');
const TAG = UNITS >= 1e6 ? `${UNITS / 1e6}m` : `${UNITS / 1e3}k`;
const CSV = join(DIR, `units-${TAG}.csv`);
const DB = join(DIR, `export-${TAG}.duckdb`);
const OUT = join(DIR, 'export-out');

const log = (s: string) => process.stderr.write(s + '\n');

async function median(fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    await rm(OUT, { recursive: true, force: true });
    await mkdir(OUT, { recursive: true });
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

async function buildStore(): Promise<void> {
  if (!existsSync(CSV)) {
    log(`generating ${CSV} (${UNITS.toLocaleString('en')} units, once) …`);
    await writeUnitsCsv(CSV, { units: UNITS }, (n) =>
      process.stderr.write(`\r  ${((100 * n) / UNITS).toFixed(0).padStart(3)} %`),
    );
    log('');
  }
  if (existsSync(DB)) return;
  log(`ingesting ${CSV} into ${DB} (once) …`);
  const store = await openStore({ path: DB }, new Date());
  await ensureDemoTenancy(store, new Date());
  await ingestFile(store, {
    file: CSV,
    format: 'csv',
    partnerId: null,
    now: new Date(),
    domain: systemDomain(),
  });
  await store.close();
}

async function main(): Promise<void> {
  await buildStore();
  const store = await openStore({ path: DB }, new Date());
  const from = `${YEAR}-01-01`;
  const to = `${YEAR}-12-31`;
  const config = normalizeConfig({ DEMO_DATA: 'false', DB_PATH: DB });
  const app = appOverStore(store, config);
  const server = await new Promise<ServerType>((ok) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const download = async (path: string): Promise<number> => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${DEMO_API_KEY}` } });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    return bytes;
  };

  // Baselines run on their own instance of the same file, read-only, so nothing is shared with the service.
  const copyInst = await DuckDBInstance.create(DB, { access_mode: 'READ_ONLY' });
  const copy = async (sql: string) => {
    const conn = await copyInst.connect();
    try {
      await conn.run(`COPY (${sql}) TO '${join(OUT, 'baseline.parquet')}' (FORMAT parquet)`);
    } finally {
      conn.closeSync();
    }
  };
  const count = async (sql: string) => {
    const conn = await copyInst.connect();
    try {
      return Number((await conn.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0]?.[0]);
    } finally {
      conn.closeSync();
    }
  };
  const unitsSql = `SELECT * FROM units WHERE local_day BETWEEN DATE '${from}' AND DATE '${to}'`;
  const dailySql = `SELECT * FROM usage_daily WHERE local_day BETWEEN DATE '${from}' AND DATE '${to}'`;
  const unitRows = await count(unitsSql);
  const dailyRows = await count(dailySql);
  const groupBy = 'phone_number_id,category,country,pricing_type,waba_id,market';
  const usageRows = await count(
    `SELECT DISTINCT local_day, ${groupBy}, unit FROM usage_daily WHERE local_day BETWEEN DATE '${from}' AND DATE '${to}'`,
  );
  const phones = (await store.all<{ id: string }>('SELECT phone_number_id AS id FROM phone_numbers')).map(
    (r) => r.id,
  );
  log(
    `${YEAR}: ${unitRows.toLocaleString('en')} units, ${dailyRows.toLocaleString('en')} daily rollup rows, ${phones.length} numbers`,
  );

  let unitsBytes = 0;
  const copyUnits = await median(() => copy(unitsSql));
  const httpUnits = await median(async () => {
    unitsBytes = await download(`/v1/exports/units?from=${YEAR}-01&to=${YEAR}-12`);
  });
  const copyDaily = await median(() => copy(dailySql));
  const httpDaily = await median(async () => {
    await download(
      `/v1/usage?from=${YEAR}-01&to=${YEAR}-12&granularity=day&group_by=${groupBy}&format=parquet`,
    );
  });
  let lakeRows = 0;
  const lake = await median(async () => {
    const files = await writeLake(store.instance, {
      phoneNumberIds: phones,
      fromDay: from,
      toDay: to,
      tables: ['units'],
      format: 'parquet',
      outDir: join(OUT, 'lake'),
    });
    lakeRows = files.reduce((s, f) => s + f.rows, 0);
  });
  server.close();
  copyInst.closeSync();
  await store.close();
  await rm(OUT, { recursive: true, force: true });
  if (lakeRows !== unitRows) throw new Error(`lake wrote ${lakeRows} rows, expected ${unitRows}`);

  const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const size = (await stat(CSV)).size;
  const lines = [
    '',
    `| one-year export (${YEAR}), ${UNITS.toLocaleString('en')}-unit store (${(size / 1e6).toFixed(0)} MB CSV) | rows | time | rows/s | vs DuckDB COPY |`,
    '|---|---|---|---|---|',
    `| DuckDB COPY units of the year TO parquet (baseline) | ${unitRows.toLocaleString('en')} | ${s(copyUnits)} | ${rate(unitRows, copyUnits)} | 1.00× |`,
    `| GET /v1/exports/units (Parquet over loopback, ${(unitsBytes / 1e6).toFixed(0)} MB) | ${unitRows.toLocaleString('en')} | ${s(httpUnits)} | ${rate(unitRows, httpUnits)} | ${(httpUnits / copyUnits).toFixed(2)}× |`,
    `| lake writer (npm run export, 12 month=YYYY-MM files) | ${lakeRows.toLocaleString('en')} | ${s(lake)} | ${rate(lakeRows, lake)} | ${(lake / copyUnits).toFixed(2)}× |`,
    `| DuckDB COPY usage_daily of the year TO parquet (baseline) | ${dailyRows.toLocaleString('en')} | ${s(copyDaily)} | ${rate(dailyRows, copyDaily)} | 1.00× |`,
    `| GET /v1/usage daily, every key, Parquet over loopback | ${usageRows.toLocaleString('en')} | ${s(httpDaily)} | ${rate(usageRows, httpDaily)} | ${(httpDaily / copyDaily).toFixed(2)}× |`,
    '',
    `(median of ${REPEAT} runs each; node ${process.version}; load ${(await import('node:os')).loadavg()[0]?.toFixed(1)}; ${new Date().toISOString()})`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

await main();
