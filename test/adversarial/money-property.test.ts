/**
 * Property: no sequence of ingests (new, repeated, hostile), refunds (retried, racing, zero, over-large),
 * top-up quotes and confirmations (retried, racing, hostile), payment webhooks (duplicated, forged, late),
 * settlement and auto-renewal runs makes a balance differ from the sum of its settled movements, or creates
 * money. Random sequences from a seeded generator run through the real app on a real DuckDB store; after every
 * step, for each number:
 * - the balance and pending sum the API reports equal the ledger's settled and pending sums (SQL);
 * - the settled balance equals settled top-ups − accepted refunds − the usage the test itself ingested (its own
 *   model of the last version of every unit), so it is never above the money actually paid in;
 * - every top-up has exactly one credit row, with its status and amount;
 * - a refused or replayed request changed nothing at all.
 * A failure names the seed and the steps; MONEY_PROPERTY_SEED=<seed> MONEY_PROPERTY_RUNS=1 replays it.
 */
import { describe, expect, it } from 'vitest';
import { nextStep } from './money-property-steps.js';
import { api, createWorld, int, micros, moneySnapshot, PHONES, type World } from './money-property-world.js';

// Ten sequences of 10–20 steps in two lanes keep the file within about a minute on a busy two-core machine
// (an ingest costs ~0.5 s there); MONEY_PROPERTY_RUNS=200 explores further.
const RUNS = Number(process.env.MONEY_PROPERTY_RUNS ?? 10);
const LANES = 2;
const BASE_SEED = Number(process.env.MONEY_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));

async function checkInvariants(w: World): Promise<void> {
  for (const phone of PHONES) {
    const b = await api(w, 'GET', `/v1/phone-numbers/${phone}/balance`);
    expect(b.status).toBe(200);
    const [money] = await w.f.h.money.all<{
      settled: string;
      pending: string;
      credits: string;
      refunds: string;
    }>(
      `SELECT
         (SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6)) FROM ledger_movements
           WHERE phone_number_id = $p AND status = 'settled' AND affects_balance)::VARCHAR AS settled,
         (SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6)) FROM ledger_movements
           WHERE phone_number_id = $p AND status = 'pending' AND kind LIKE 'topup_%')::VARCHAR AS pending,
         (SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6)) FROM topups
           WHERE phone_number_id = $p AND status = 'settled')::VARCHAR AS credits,
         (SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6)) FROM ledger_movements
           WHERE phone_number_id = $p AND kind = 'refund')::VARCHAR AS refunds`,
      { p: phone },
    );
    // Usage is the analytics plane's: read apart from the money plane, as the service does.
    const [used] = await w.f.h.db.all<{ usage: string }>(
      `SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6))::VARCHAR AS usage FROM units
        WHERE phone_number_id = $p AND is_paid AND local_day >= DATE '2025-01-01'`,
      { p: phone },
    );
    const sums = { ...money!, usage: used!.usage };
    const s = sums!;
    const what = `${phone}: ${JSON.stringify({ api: b.body.balance, api_pending: b.body.pending, ...s })}`;
    expect(micros(b.body.balance as string), what).toBe(micros(s.settled));
    expect(micros(b.body.pending as string), what).toBe(micros(s.pending));

    let usage = 0n;
    for (const u of w.units.values()) if (u.phone === phone) usage += micros(u.rate);
    const refunded = w.refunded.get(phone)!;
    expect(micros(s.usage), `${what} usage ingested ${usage}`).toBe(usage);
    expect(-micros(s.refunds), `${what} refunds accepted ${refunded}`).toBe(refunded);
    const paidIn = micros(s.credits);
    expect(micros(s.settled), what).toBe(paidIn - refunded - usage);
    expect(micros(s.settled) <= paidIn - refunded, what).toBe(true);
  }
  const credits = await w.f.h.money.all<{ topup_id: string; status: string; amount: string; rows: string }>(
    `SELECT t.topup_id, t.status, t.amount::VARCHAR AS amount,
            string_agg(l.status || ' ' || l.amount::VARCHAR, ', ') AS rows
       FROM topups t LEFT JOIN ledger_movements l ON l.topup_id = t.topup_id AND l.kind LIKE 'topup_%'
      GROUP BY t.topup_id, t.status, t.amount ORDER BY t.topup_id`,
  );
  for (const c of credits) expect(c.rows, JSON.stringify(c)).toBe(`${c.status} ${c.amount}`);
}

async function runSequence(seed: number): Promise<number> {
  const w = await createWorld(seed);
  const trace: string[] = [];
  try {
    const steps = int(w, 10, 20);
    for (let i = 0; i < steps; i++) {
      const before = await moneySnapshot(w);
      const result = await nextStep(w)(w);
      trace.push(result.name);
      if (!result.mayChange)
        expect(await moneySnapshot(w), 'a refused request changed the store').toBe(before);
      await checkInvariants(w);
    }
    return steps;
  } catch (err) {
    const steps = trace.map((t, i) => `  ${i + 1}. ${t}`).join('\n');
    throw new Error(
      `money property failed with seed ${seed} (MONEY_PROPERTY_SEED=${seed} MONEY_PROPERTY_RUNS=1) after:\n${steps}\n` +
        `${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  } finally {
    await w.f.h.close();
  }
}

describe('money property: balances are the sum of settled movements', () => {
  it(`holds for ${RUNS} random sequences from seed ${BASE_SEED}`, async () => {
    const lane = async (first: number) => {
      let steps = 0;
      for (let i = first; i < RUNS; i += LANES) steps += await runSequence(BASE_SEED + i);
      return steps;
    };
    const steps = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    expect(steps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS * 10);
  }, 600_000);
});
