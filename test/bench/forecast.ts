/**
 * `npm run bench:forecast` — scores the forecast CLI, side by side in one run, on M3 monthly (1,428 series, h = 18:
 * full histories, the last 36 and the last 24 months) and on the product's own WhatsApp-like set (500 series,
 * h = 6, data/forecast/generate-whatsapp-like.ts, fixed seed; full and last 24 months). Every method runs through
 * the same CLI in the same run: `auto`, Theta, ETS, seasonal naive and Naive2 (the OWA baseline). Prints sMAPE,
 * MASE, OWA, 80 %/95 % interval coverage and series per second, then the targets: OWA ≤ 0.80 on M3 full, `auto` at
 * or below the best of Theta, ETS and seasonal naive on every cut, coverage within 5 points, ≥ 200 series/s.
 *
 * The WhatsApp-like histories cross the per-message switch: the months before it count conversations, and every
 * method gets them converted into message-equivalents by the product's own ratio (switch-ratio.ts).
 * Data directory: FORECAST_DATA, else the first of ../shared/data/forecast and ../../shared/data/forecast.
 * `BENCH_SETS=m3,m3-36,m3-24,wa,wa-24` (any of them) runs a subset.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateWhatsAppLike } from '../../data/forecast/generate-whatsapp-like.js';
import { computeMase } from '../../worker/forecast/mase.js';
import { computeSmape } from '../../worker/forecast/smape.js';
import { convertBeforeSwitch, learnSwitchRatio } from '../../worker/forecast/switch-ratio.js';

const M = 12;
const METHODS = ['naive2', 'snaive', 'theta', 'ets', 'auto'] as const;
type Method = (typeof METHODS)[number];

function dataDir(): string {
  const candidates = [
    process.env.FORECAST_DATA,
    resolve(process.cwd(), '../shared/data/forecast'),
    resolve(process.cwd(), '../../shared/data/forecast'),
  ].filter((d): d is string => !!d);
  const found = candidates.find((d) => existsSync(join(d, 'm3_monthly_train.csv')));
  if (!found) throw new Error(`M3 data not found in ${candidates.join(', ')}; set FORECAST_DATA`);
  return found;
}

function loadLong(path: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    if (!line) continue;
    const [id = '', , v = ''] = line.split(',');
    let a = out.get(id);
    if (!a) out.set(id, (a = []));
    a.push(Number(v));
  }
  return out;
}

interface Fc {
  mean: number[];
  lo80: number[];
  hi80: number[];
  lo95: number[];
  hi95: number[];
}

function runCli(
  input: string,
  method: Method,
  horizon: number,
): { fc: Map<string, Fc>; seconds: number; cpuSeconds: number } {
  const t0 = performance.now();
  const args = ['--horizon', String(horizon), '--season', String(M), '--method', method, input];
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'worker/cli/forecast.ts', ...args], {
    maxBuffer: 1 << 28,
    encoding: 'utf8',
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`forecast CLI failed: ${r.stderr}`);
  const cpuSeconds = Number(/cpu ([\d.]+) s/.exec(r.stderr)?.[1] ?? NaN);
  const fc = new Map<string, Fc>();
  for (const line of r.stdout.split('\n').slice(1)) {
    if (!line) continue;
    const [id = '', , mean, lo80, hi80, lo95, hi95] = line.split(',');
    let f = fc.get(id);
    if (!f) fc.set(id, (f = { mean: [], lo80: [], hi80: [], lo95: [], hi95: [] }));
    f.mean.push(Number(mean));
    f.lo80.push(Number(lo80));
    f.hi80.push(Number(hi80));
    f.lo95.push(Number(lo95));
    f.hi95.push(Number(hi95));
  }
  return { fc, seconds, cpuSeconds };
}

interface Score {
  smape: number;
  mase: number;
  cover80: number;
  cover95: number;
  perSecond: number;
  perCpuSecond: number;
}

function score(
  train: Map<string, number[]>,
  test: Map<string, number[]>,
  method: Method,
  input: string,
): Score {
  const h = test.values().next().value!.length;
  const run = runCli(input, method, h);
  let s = 0;
  let m = 0;
  let c80 = 0;
  let c95 = 0;
  let points = 0;
  for (const [id, y] of test) {
    const f = run.fc.get(id);
    if (!f) throw new Error(`no forecast for ${id}`);
    s += computeSmape(y, f.mean);
    const mase = computeMase(train.get(id)!, y, f.mean, M);
    // A history without seasonal change has no MASE scale; such series count in sMAPE only.
    m += Number.isFinite(mase) ? mase : 0;
    y.forEach((v, i) => {
      if (v >= f.lo80[i]! && v <= f.hi80[i]!) c80++;
      if (v >= f.lo95[i]! && v <= f.hi95[i]!) c95++;
      points++;
    });
  }
  const n = test.size;
  return {
    smape: s / n,
    mase: m / n,
    cover80: (100 * c80) / points,
    cover95: (100 * c95) / points,
    perSecond: n / run.seconds,
    perCpuSecond: n / run.cpuSeconds,
  };
}

function writeLong(path: string, series: Map<string, number[]>): void {
  const rows = ['series_id,t,value'];
  for (const [id, y] of series) y.forEach((v, i) => rows.push(`${id},${i + 1},${v}`));
  writeFileSync(path, rows.join('\n') + '\n');
}

interface DataSet {
  name: string;
  train: Map<string, number[]>;
  test: Map<string, number[]>;
  owaTarget?: number;
}

function dataSets(): DataSet[] {
  const dir = dataDir();
  const m3Train = loadLong(join(dir, 'm3_monthly_train.csv'));
  const m3Test = loadLong(join(dir, 'm3_monthly_test.csv'));
  const cut = (s: Map<string, number[]>, k: number) => new Map([...s].map(([id, y]) => [id, y.slice(-k)]));
  const wa = generateWhatsAppLike({ count: 500, seed: 20251, horizon: 6 });
  const waTrain = new Map(
    wa.map((s) => {
      if (s.switchIndex === null) return [s.id, s.train];
      const r = learnSwitchRatio(s.train, s.switchIndex, M);
      return [s.id, r ? convertBeforeSwitch(s.train, s.switchIndex, r.ratio) : s.train.slice(s.switchIndex)];
    }),
  );
  const waTest = new Map(wa.map((s) => [s.id, s.test]));
  const all: (DataSet & { key: string })[] = [
    { key: 'm3', name: 'M3 monthly, full', train: m3Train, test: m3Test, owaTarget: 0.8 },
    { key: 'm3-36', name: 'M3 monthly, last 36', train: cut(m3Train, 36), test: m3Test },
    { key: 'm3-24', name: 'M3 monthly, last 24', train: cut(m3Train, 24), test: m3Test },
    { key: 'wa', name: 'WhatsApp-like, full', train: waTrain, test: waTest },
    { key: 'wa-24', name: 'WhatsApp-like, last 24', train: cut(waTrain, 24), test: waTest },
  ];
  const only = process.env.BENCH_SETS?.split(',').filter(Boolean);
  return only ? all.filter((d) => only.includes(d.key)) : all;
}

function main(): void {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-forecast-'));
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const out = (s: string) => process.stdout.write(s + '\n');
  const cores = availableParallelism();
  out(
    `${cores} cores, load average ${load} at start. series/s = wall clock of the CLI (start-up included);\n` +
      `series/cpu-s counts the CPU time of all its threads, so ${cores} × series/cpu-s is the rate on idle cores.`,
  );
  const summary: string[] = [];
  let allMet = true;
  try {
    for (const [k, ds] of dataSets().entries()) {
      const input = join(tmp, `train_${k}.csv`);
      writeLong(input, ds.train);
      const sc = Object.fromEntries(METHODS.map((m) => [m, score(ds.train, ds.test, m, input)])) as Record<
        Method,
        Score
      >;
      const owa = (s: Score) => 0.5 * (s.smape / sc.naive2.smape + s.mase / sc.naive2.mase);
      out(`\n${ds.name}: ${ds.test.size} series, h = ${ds.test.values().next().value!.length}`);
      out(`${'method'.padEnd(16)}  sMAPE   MASE    OWA  cov80  cov95 series/s series/cpu-s`);
      for (const m of METHODS) {
        const s = sc[m];
        out(
          `${m.padEnd(16)} ${s.smape.toFixed(2).padStart(6)} ${s.mase.toFixed(3).padStart(6)} ${owa(s).toFixed(3).padStart(6)}` +
            ` ${s.cover80.toFixed(1).padStart(6)} ${s.cover95.toFixed(1).padStart(6)} ${s.perSecond.toFixed(0).padStart(8)}` +
            ` ${s.perCpuSecond.toFixed(0).padStart(12)}`,
        );
      }
      const peers = (['theta', 'ets', 'snaive'] as const).map((m) => ({ m, owa: owa(sc[m]) }));
      const best = peers.reduce((a, b) => (b.owa < a.owa ? b : a));
      const a = sc.auto;
      const checks = [
        [`auto ${owa(a).toFixed(3)} ≤ best peer ${best.m} ${best.owa.toFixed(3)}`, owa(a) <= best.owa],
        [
          `coverage ${a.cover80.toFixed(1)}/${a.cover95.toFixed(1)} within 5 points`,
          Math.abs(a.cover80 - 80) <= 5 && Math.abs(a.cover95 - 95) <= 5,
        ],
        [
          `${a.perSecond.toFixed(0)} series/s wall (idle cores ≈ ${(cores * a.perCpuSecond).toFixed(0)}) ≥ 200`,
          a.perSecond >= 200,
        ],
      ] as [string, boolean][];
      if (ds.owaTarget !== undefined)
        checks.unshift([`OWA ${owa(a).toFixed(3)} ≤ ${ds.owaTarget}`, owa(a) <= ds.owaTarget]);
      out(`targets: ${checks.map(([t, ok]) => `${t} ${ok ? 'met' : 'MISSED'}`).join('; ')}`);
      allMet &&= checks.every(([, ok]) => ok);
      summary.push(
        `| ${ds.name} | ${owa(a).toFixed(3)} | ${owa(sc.theta).toFixed(3)} | ${owa(sc.ets).toFixed(3)} | ${owa(sc.snaive).toFixed(3)} | ` +
          `${a.cover80.toFixed(1)} / ${a.cover95.toFixed(1)} | ${a.perSecond.toFixed(0)} (idle ≈ ${(cores * a.perCpuSecond).toFixed(0)}) |`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  out('\n| data | auto OWA | Theta | ETS | seasonal naive | auto coverage 80 / 95 | auto series/s |');
  out('|---|---|---|---|---|---|---|');
  for (const s of summary) out(s);
  out(`\nall targets ${allMet ? 'met' : 'NOT all met'}`);
}

main();
