/**
 * npm run bench:pricing — priceUnits (markets by longest prefix, card in force, PMP marginal tiers) over N paid
 * and free units in 12 WABA months, against a baseline measured in the same run: the record-rate UPDATE that
 * priceUnits replaced (one column copy over the same scope). Prints units/s, the ratios, and a digest of every
 * priced column (a rewrite of priceUnits must print the same digest).
 *
 *   BENCH_UNITS=1000000 npm run bench:pricing
 */
import { openStore } from '../../worker/pricing/open-store.js';
import { priceUnits } from '../../worker/pricing/price-units.js';
import type { WabaMonth } from '../../worker/kernel/waba-month.js';

const N = Number(process.env.BENCH_UNITS ?? 1_000_000);

const db = await openStore({ path: ':memory:' }, new Date());
await db.run(`INSERT INTO partners VALUES ('p', 'P', [], now())`);
await db.run(
  `INSERT INTO wabas VALUES ('W', 'p', 'W', 'Asia/Kolkata', 'INR', DATE '2025-07-01', now(), NULL)`,
);
// Recipients across India (tiered utility), +1 exceptions, Zimbabwe around its remap and unknown prefixes.
await db.run(
  `INSERT INTO units (unit_id, pricing_model, unit, waba_id, phone_number_id, recipient_wa_id, category, opened_at,
                      rate_in, ingested_at, local_day, local_month, regime, pricing_type, is_counted, is_free, is_paid)
   SELECT 'u' || i, 'PMP', 'message', 'W', 'P' || (i % 4),
          ['919812345678', '18095551234', '263771234567', '4915112345678', '98912345678'][1 + i % 5],
          ['utility', 'marketing', 'authentication'][1 + (i // 5) % 3],
          TIMESTAMPTZ '2025-07-01 00:00:00+00' + to_seconds(i * (365 * 86400 // $n)),
          0.01, now(), NULL, NULL, 'R4', 'regular', true, i % 10 = 0, i % 10 <> 0
     FROM range($n) t(i)`,
  { n: N },
);
await db.run(`UPDATE units SET local_day = CAST(timezone('Asia/Kolkata', opened_at) AS DATE),
                                local_month = date_trunc('month', CAST(timezone('Asia/Kolkata', opened_at) AS DATE))`);
const scope = await db.all<WabaMonth>(
  `SELECT DISTINCT waba_id, strftime(local_month, '%Y-%m-%d') AS month FROM units ORDER BY 2`,
);

async function time(label: string, fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  const s = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(28)} ${s.toFixed(2)} s  ${Math.round(N / s).toLocaleString('en-US')} units/s`);
  return s;
}

const keys = { keys: scope.map((s) => `${s.waba_id}|${s.month}`) };
const baseline = await time('baseline (record rate copy)', () =>
  db.run(
    `UPDATE units SET rate = CASE WHEN is_paid THEN rate_in END, amount = CASE WHEN is_paid THEN rate_in END
      WHERE list_contains($keys, waba_id || '|' || strftime(local_month, '%Y-%m-%d'))`,
    keys,
  ),
);
await db.run('UPDATE units SET market = NULL, recipient_country = NULL');
const priced = await time('priceUnits (cards + tiers)', () => db.transaction((tx) => priceUnits(tx, scope)));
const again = await time('priceUnits again (no change)', () => db.transaction((tx) => priceUnits(tx, scope)));
// Ingest's case: local_day/local_month rewritten earlier in the same transaction (refreshDerived buckets, then
// prices), so priceUnits reads uncommitted columns; timed separately because plans can differ from the
// committed-table case above.
let fresh = 0;
await db.transaction(async (tx) => {
  await tx.run(`UPDATE units SET market = NULL, recipient_country = NULL, rate = NULL, amount = NULL,
                  rate_card_id = NULL, tier = NULL, local_day = CAST(timezone('Asia/Kolkata', opened_at) AS DATE),
                  local_month = date_trunc('month', CAST(timezone('Asia/Kolkata', opened_at) AS DATE))`);
  fresh = await time('priceUnits, same tx as bucket', () => priceUnits(tx, scope));
});
const check = await db.all<{ n: string; cards: string; amount: string; digest: string }>(
  `SELECT count(*) FILTER (WHERE is_paid) AS n, count(rate_card_id) FILTER (WHERE is_paid) AS cards,
          sum(amount) FILTER (WHERE is_paid) AS amount,
          CAST(sum(hash(unit_id, market, recipient_country, rate, amount, rate_card_id, tier)) AS VARCHAR) AS digest
     FROM units`,
);
// The digest over every priced column lets a rewrite of priceUnits be checked against the previous one.
console.log(
  `units ${N}, months ${scope.length}, paid ${check[0]!.n}, priced by a card ${check[0]!.cards}, amount ${check[0]!.amount}, digest ${check[0]!.digest}`,
);
console.log(
  `ratio priceUnits / baseline: ${(priced / baseline).toFixed(2)}×, re-pricing unchanged months / baseline: ${(again / baseline).toFixed(2)}×, same tx as bucketing / baseline: ${(fresh / baseline).toFixed(2)}×`,
);
await db.close();
