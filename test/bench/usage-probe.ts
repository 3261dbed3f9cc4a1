/**
 * Usage benchmark (not part of the test run): writes N generated units to a CSV file, measures DuckDB's own
 * CREATE TABLE AS SELECT * FROM read_csv(...) on it (the baseline, same run), then loading the same file into
 * units, refreshDerived over every WABA month, and p50 latency of the usage queries, as ratios to the baseline.
 * Run: npm run bench:usage -- [units=5000000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshDerived } from '../../worker/billing/recompute.js';
import { buildUsageQuery } from '../../worker/usage/usage-query.js';
import { createHarness } from '../helpers/harness.js';
import { systemDomain } from '../helpers/system-domain.js';

const N = Number(process.argv[2] ?? 5_000_000);
const WABAS = 10;
const PHONES = 5;

const GEN = `
  SELECT 'u' || i AS unit_id,
         CASE WHEN ts >= TIMESTAMPTZ '2025-07-01' THEN 'PMP' ELSE 'CBP' END AS pricing_model,
         CASE WHEN ts >= TIMESTAMPTZ '2025-07-01' THEN 'message' ELSE 'conversation' END AS unit,
         'W' || (i % ${WABAS}) AS waba_id, 'W' || (i % ${WABAS}) || '-P' || ((i // ${WABAS}) % ${PHONES}) AS phone_number_id,
         '4915' || (i % 100000) AS recipient_wa_id, ['DE', 'US', 'IN', 'BR'][1 + i % 4] AS recipient_country,
         ['Germany', 'North America', 'India', 'Brazil'][1 + i % 4] AS market,
         ['service', 'marketing', 'utility', 'authentication', 'service'][1 + (i // 7) % 5] AS category,
         ts AS opened_at, (i % 3 <> 0) AS is_template, (i % 2 = 0) AS in_csw, (i % 97 = 0) AS in_fep,
         CASE WHEN i % 101 = 0 THEN 'failed' ELSE 'delivered' END AS status_final,
         CAST(0.0250 AS DECIMAL(18, 6)) AS rate_in, TIMESTAMPTZ '2026-01-01' AS ingested_at
    FROM (SELECT i, TIMESTAMPTZ '2023-01-01' + to_seconds(CAST(i * (94608000.0 / ${N}) AS BIGINT)) AS ts
            FROM range(${N}) t(i))`;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function main(): Promise<void> {
  const h = await createHarness({ now: '2025-12-15T00:00:00Z' });
  const db = h.db;
  const key = await h.partner('bench');
  for (let w = 0; w < WABAS; w++) {
    const phones = Array.from({ length: PHONES }, (_, p) => `W${w}-P${p}`);
    await h.waba(key, { waba_id: `W${w}`, timezone: w % 2 ? 'America/Los_Angeles' : 'Asia/Kolkata' }, phones);
  }
  const dir = await mkdtemp(join(tmpdir(), 'usage-bench-'));
  const csv = join(dir, 'units.csv');
  await db.run(`COPY (${GEN}) TO '${csv}' (HEADER)`);
  const [base] = await time(() => db.run(`CREATE TABLE baseline AS SELECT * FROM read_csv('${csv}')`));
  const [ins] = await time(() =>
    db.run(`INSERT INTO units (unit_id, pricing_model, unit, waba_id, phone_number_id, recipient_wa_id,
      recipient_country, market, category, opened_at, is_template, in_csw, in_fep, status_final, rate_in,
      ingested_at) SELECT * FROM read_csv('${csv}')`),
  );
  await rm(dir, { recursive: true, force: true });
  const steps: string[] = [];
  const [derive, scope] = await time(() =>
    db.transaction((tx) =>
      refreshDerived(tx, {
        pending: true,
        domain: systemDomain(),
        onStep: (name, ms) => steps.push(`${name} ${ms} ms`),
      }),
    ),
  );
  console.log(
    `units ${N}: baseline read_csv CTAS ${base.toFixed(0)} ms; load into units ${ins.toFixed(0)} ms (${(ins / base).toFixed(2)}×); refreshDerived ${derive.toFixed(0)} ms (${(derive / base).toFixed(2)}×) over ${scope.length} WABA months; load + derive ${((ins + derive) / base).toFixed(2)}× baseline`,
  );
  console.log(`refreshDerived steps: ${steps.join(', ')}`);
  const rollup = await db.all<{ n: string }>(`SELECT count(*) AS n FROM usage_monthly`);
  console.log(`usage_monthly rows: ${rollup[0]?.n}`);
  const one = buildUsageQuery({
    phoneNumberIds: ['W3-P2'],
    from: '2024-01-01',
    to: '2025-12-01',
    granularity: 'month',
    groupBy: [],
    measure: 'usage',
  });
  const allPhones = Array.from(
    { length: WABAS * PHONES },
    (_, i) => `W${i % WABAS}-P${Math.floor(i / WABAS)}`,
  );
  const all = buildUsageQuery({
    phoneNumberIds: allPhones,
    from: '2024-01-01',
    to: '2025-12-01',
    granularity: 'month',
    groupBy: ['phone_number_id'],
    measure: 'usage',
  });
  const p50 = async (fn: () => Promise<unknown>) => {
    const t: number[] = [];
    for (let k = 0; k < 51; k++) t.push((await time(fn))[0]);
    return t.sort((a, b) => a - b)[25] ?? NaN;
  };
  for (const [name, q, path] of [
    ['one-number monthly', one, '/v1/usage?phone_number_id=W3-P2&from=2024-01&to=2025-12'],
    ['all-numbers monthly', all, '/v1/usage?from=2024-01&to=2025-12&group_by=phone_number_id'],
  ] as const) {
    const sqlMs = await p50(() => db.all(q.sql, q.params));
    const httpMs = await p50(async () => {
      const r = await h.call('GET', path, { token: key });
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      await r.text();
    });
    console.log(
      `${name}: p50 SQL ${sqlMs.toFixed(2)} ms, HTTP ${httpMs.toFixed(2)} ms (${(httpMs / base).toExponential(2)}× baseline)`,
    );
  }
  console.log(
    `load average at the end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (2 cores; other work inflates every figure)`,
  );
  await h.close();
}

void main();
