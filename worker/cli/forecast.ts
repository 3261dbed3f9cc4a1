/**
 * `npm run forecast -- --horizon 18 --season 12 [--levels 80,95] [--method auto] [--workers N] in.csv > out.csv`
 *
 * Reads long CSV (`series_id,t,value`), forecasts every series on worker threads (all cores by default) and writes
 * `series_id,h,mean,lower_80,upper_80,…` to stdout in input order. Progress goes to stderr; a bad CSV or bad
 * option exits with status 2 naming the line and the reason.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ValidationError } from '../errors.js';
import { parseSeriesCsv, type NamedSeries } from '../forecast/parse-series-csv.js';
import type { ForecastMethod, ForecastOptions, ForecastResult } from '../forecast/types.js';
import type { WorkerAnswer } from './forecast-worker.js';

const METHODS: readonly ForecastMethod[] = [
  'auto',
  'ets',
  'theta',
  'snaive',
  'naive',
  'naive2',
  'mean',
  'croston',
  'combo',
];
const BATCH = 16;

interface CliArgs {
  opts: ForecastOptions & { levels: number[] };
  workers: number;
  input: string;
}

function fail(message: string): never {
  process.stderr.write(`forecast: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): CliArgs {
  let horizon = NaN;
  let season = 1;
  let levels = [80, 95];
  let method: ForecastMethod = 'auto';
  let workers = Math.max(1, availableParallelism());
  let input = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => argv[++i] ?? fail(`${a} needs a value`);
    if (a === '--horizon') horizon = Number(next());
    else if (a === '--season') season = Number(next());
    else if (a === '--levels') levels = next().split(',').map(Number);
    else if (a === '--method') method = next() as ForecastMethod;
    else if (a === '--workers') workers = Number(next());
    else if (a.startsWith('--')) fail(`unknown option ${a}`);
    else input = a;
  }
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1000)
    fail('--horizon must be an integer in 1..1000');
  if (!Number.isInteger(season) || season < 1) fail('--season must be a positive integer');
  if (levels.some((l) => !(l > 0 && l < 100))) fail('--levels must be numbers in (0, 100), e.g. 80,95');
  if (!METHODS.includes(method)) fail(`--method must be one of ${METHODS.join(', ')}`);
  if (!Number.isInteger(workers) || workers < 1) fail('--workers must be a positive integer');
  if (!input)
    fail('usage: forecast --horizon H [--season m] [--levels 80,95] [--method auto] in.csv|- > out.csv');
  return { opts: { horizon, seasonLength: season, levels, method }, workers, input };
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(10))) : '';
}

function csvId(id: string): string {
  return /[",\n\r]/.test(id) ? `"${id.replace(/"/g, '""')}"` : id;
}

function formatRows(s: NamedSeries, r: ForecastResult, levels: readonly number[]): string {
  let out = '';
  for (let h = 0; h < r.mean.length; h++) {
    let row = `${csvId(s.id)},${h + 1},${fmt(r.mean[h]!)}`;
    for (const level of levels) {
      const iv = r.intervals.find((x) => x.level === level);
      row += `,${fmt(iv?.lower[h] ?? NaN)},${fmt(iv?.upper[h] ?? NaN)}`;
    }
    out += row + '\n';
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Workers start loading (tsx, the engine) while this thread reads and checks the CSV.
  const start = performance.now();
  const pool = Array.from(
    { length: args.workers },
    () => new Worker(new URL('./forecast-worker-entry.mjs', import.meta.url), { workerData: args.opts }),
  );
  let text: string;
  try {
    text = readFileSync(args.input === '-' ? 0 : args.input, 'utf8');
  } catch (err) {
    fail(`cannot read ${args.input}: ${(err as Error).message}`);
  }
  let series: NamedSeries[];
  try {
    series = parseSeriesCsv(text);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const issues = (err.detail.issues ?? []) as { line?: number; reason: string }[];
    process.stderr.write(`forecast: ${err.message}\n`);
    for (const i of issues) process.stderr.write(`  ${args.input}:${i.line ?? '?'}: ${i.reason}\n`);
    process.exit(2);
  }
  const { levels } = args.opts;
  const header = ['series_id', 'h', 'mean', ...levels.flatMap((l) => [`lower_${l}`, `upper_${l}`])].join(',');
  const nBatches = Math.ceil(series.length / BATCH);
  const results: (ForecastResult[] | undefined)[] = new Array(nBatches);
  const nWorkers = Math.min(args.workers, nBatches);
  for (const idle of pool.slice(nWorkers)) void idle.terminate();
  let done = 0;
  let nextBatch = 0;
  let flushed = 0;
  let lastReport = 0;
  process.stdout.write(header + '\n');
  const flush = (): void => {
    // Writes finished batches in input order as soon as the ones before them are in.
    let chunk = '';
    while (flushed < nBatches && results[flushed]) {
      const rs = results[flushed]!;
      rs.forEach((r, k) => (chunk += formatRows(series[flushed * BATCH + k]!, r, levels)));
      results[flushed] = [];
      flushed++;
    }
    if (chunk) process.stdout.write(chunk);
  };
  const report = (final: boolean): void => {
    const now = performance.now();
    if (!final && now - lastReport < 500) return;
    lastReport = now;
    const secs = (now - start) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    // CPU time covers every thread of the process, so the benchmark can tell work from waiting on a busy host.
    const cpu = process.cpuUsage();
    const tail = final ? `, ${secs.toFixed(2)} s, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s` : '';
    process.stderr.write(`forecast: ${done}/${series.length} series, ${rate.toFixed(0)} series/s${tail}\n`);
  };
  await new Promise<void>((resolve, reject) => {
    let live = nWorkers;
    for (let w = 0; w < nWorkers; w++) {
      const worker = pool[w]!;
      const send = (): void => {
        if (nextBatch >= nBatches) {
          void worker.terminate();
          if (--live === 0) resolve();
          return;
        }
        const b = nextBatch++;
        worker.postMessage({ batch: b, series: series.slice(b * BATCH, (b + 1) * BATCH) });
      };
      worker.on('message', (msg: WorkerAnswer) => {
        results[msg.batch] = msg.results;
        done += msg.results.length;
        flush();
        report(false);
        send();
      });
      worker.on('error', reject);
      send();
    }
  });
  flush();
  report(true);
}

main().catch((err: unknown) => {
  process.stderr.write(`forecast: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
