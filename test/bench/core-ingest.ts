/**
 * One measured ingest of `npm run bench`: the CSV through the CLI path (ingestFile, one batch) into a fresh
 * DuckDB file with the money plane where BENCH_STORE puts it (core-money-plane.ts), timed from the first row read
 * to the money plane's charges posted; then GET /v1/usage through the app over the same stores. The demo tenancy
 * and the money store are set up before the clock starts, as they are before a real ingest.
 */
import { rm } from 'node:fs/promises';
import { DEMO_API_KEY } from '../../data/demo/demo-profile.js';
import { systemClock } from '../../worker/clock.js';
import { ingestFile } from '../../worker/cli/ingest-file.js';
import { progressLine } from '../../worker/cli/progress-line.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { ensureDemoTenancy } from '../../worker/demo/demo-tenancy.js';
import { silentLogger } from '../../worker/env.js';
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { localIngestLake } from '../../worker/lake/local-ingest-lake.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { appOverStore } from '../helpers/app-over-store.js';
import { openBenchMoney, type BenchServer, type BenchStore, type MoneyPlane } from './core-money-plane.js';
import { cpuSeconds } from './process-cpu.js';

export const log = (s: string) => process.stderr.write(s + '\n');
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** CPU time of this process (user + system) in ms. */
export const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function fresh(path: string): Promise<void> {
  for (const p of [path, `${path}.wal`]) await rm(p, { force: true });
}

export interface Ingested {
  readonly kind: BenchStore;
  readonly store: DuckDbStore;
  readonly plane: MoneyPlane;
  readonly ingestMs: number;
  /** This process's CPU time during the ingest (DuckDB's threads included). */
  readonly ingestCpu: number;
  /** The Postgres server's CPU time during the ingest (its connections' processes), 0 for the others. */
  readonly serverCpu: number;
  readonly settleMs: number;
  readonly steps: readonly string[];
  /** The settling's time after its last step: the commit, and with a money store of its own the charges'
   * posting and the rollups' publication for the other replicas. */
  readonly commitMs: number;
}

/** One full ingest of `csv` through the CLI path into a fresh file (with the lake in `lakeDir` when given). */
export async function ingestInto(
  kind: BenchStore,
  csv: string,
  dbPath: string,
  lakeDir: string | null,
  server: BenchServer,
): Promise<Ingested> {
  await fresh(dbPath);
  const store = await openStore({ path: dbPath }, new Date());
  const plane = await openBenchMoney(kind, store, dbPath, server);
  await ensureDemoTenancy({ db: store, money: plane.money }, new Date());
  const serverCpu = () => (server.pid ? cpuSeconds(server.pid, true) * 1000 : 0);
  const t = performance.now();
  const [cpu, srv] = [cpuMs(), serverCpu()];
  // When each phase started, for the breakdown (reading = landing the batch; settling = the whole-month work).
  const phaseStart = new Map<string, number>();
  const steps: string[] = [];
  let stepsMs = 0;
  const result = await ingestFile(store, {
    domain: domainContextOf({ clock: systemClock, config: plane.config }),
    file: csv,
    format: 'csv',
    partnerId: null,
    now: new Date(),
    ...(plane.split ? { money: plane.money } : {}),
    ...(lakeDir ? { lake: localIngestLake(lakeDir, silentLogger) } : {}),
    onDeriveStep: (step, stepMs) => {
      steps.push(`${step} ${seconds(stepMs)}`);
      stepsMs += stepMs;
    },
    onProgress: (phase, pct) => {
      if (!phaseStart.has(phase)) phaseStart.set(phase, performance.now() - t);
      process.stderr.write(`\r${progressLine(phase, pct, performance.now() - t)}`);
    },
  });
  const ingestMs = performance.now() - t;
  const [ingestCpu, ingestServerCpu] = [cpuMs() - cpu, serverCpu() - srv];
  const settleMs = ingestMs - (phaseStart.get('settling') ?? ingestMs);
  log('');
  log(
    `full ingest (CLI path, STORE=${kind}${lakeDir ? ', lake on' : ''}): ${seconds(ingestMs)} — ` +
      `${result.inserted.toLocaleString('en')} inserted, ${result.duplicates.toLocaleString('en')} duplicates, ` +
      `${result.months_recomputed.length} WABA-months derived`,
  );
  const commitMs = settleMs - stepsMs;
  return { kind, store, plane, ingestMs, ingestCpu, serverCpu: ingestServerCpu, settleMs, steps, commitMs };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export interface Timing {
  readonly p50: number;
  readonly p95: number;
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** GET /v1/usage for one number and for all numbers (monthly) over the ingested units, and a raw count(*). */
export async function measureQueries(
  i: Ingested,
  runs: number,
): Promise<{ raw: Timing; one: Timing; all: Timing }> {
  const app = appOverStore(i.store, i.plane.config, i.plane.split ? i.plane.money : undefined);
  const get = async (path: string) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${DEMO_API_KEY}` } });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.text();
  };
  const one = '/v1/usage?phone_number_id=demo-pn-us-shop&from=2023-07&to=2026-11&granularity=month';
  const all = '/v1/usage?from=2023-07&to=2026-11&granularity=month&group_by=phone_number_id';
  return {
    raw: await timeRuns(runs, () => i.store.all('SELECT count(*) AS n FROM units')),
    one: await timeRuns(runs, () => get(one)),
    all: await timeRuns(runs, () => get(all)),
  };
}
