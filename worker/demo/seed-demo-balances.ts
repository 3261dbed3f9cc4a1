/**
 * Demo balances: replays the demo numbers' daily charges (already posted by the charge sync) against a funding
 * history, so the ledger, statements and breakdown look lived-in. The first number of each WABA runs on
 * auto-renewal (the busiest number of each WABA: threshold ≈ a week of spend, amount ≈ a month and at least 3×
 * the threshold, card 4 %, one failed payment along the way);
 * the others get a bank transfer on the 1st of each month of about the previous month's spend. Seed-only: the
 * charges are dated to the end of their local day so monthly statements show them in their month.
 */
import { fromMicros, roundToMinor, toMicros, feeMicros } from '../kernel/money.js';
import type { Db, Queryable } from '../db/db.js';
import { appendMovement, dateChargesToTheirDay } from '../ledger/ledger.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { saveAutoRenewal } from '../funding/auto-renewal.js';

const DEMO_PARTNER = 'demo';

/** A TIMESTAMPTZ as both planes answer it in UTC ('2026-01-02 03:04:05.123456+00') as a Date. */
const storeInstant = (text: string) =>
  new Date(`${text.slice(0, 10)}T${text.slice(11).replace(/\+00$/, 'Z')}`);

interface Phone {
  phone_number_id: string;
  waba_id: string;
  timezone: string;
  currency: string;
  first: boolean;
}

export interface DemoBalanceDeps {
  /** The money plane (tenancy, ledger, top-ups). */
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'feeSchedule'>;
}

/** Seeds funding history for the demo partner's numbers once (no-op when any top-up exists). */
export async function seedDemoBalances(deps: DemoBalanceDeps): Promise<number> {
  const { db } = deps;
  const phones = await db.all<Phone>(
    `SELECT p.phone_number_id, p.waba_id, w.timezone, w.currency,
            row_number() OVER (PARTITION BY p.waba_id ORDER BY COALESCE(s.spend, 0) DESC, p.phone_number_id) = 1 AS first
       FROM phone_numbers p JOIN wabas w USING (waba_id)
       LEFT JOIN (SELECT phone_number_id, -SUM(amount) AS spend FROM ledger_movements WHERE local_day IS NOT NULL
                   GROUP BY phone_number_id) s USING (phone_number_id)
      WHERE w.partner_id = $p ORDER BY p.phone_number_id`,
    { p: DEMO_PARTNER },
  );
  if (phones.length === 0) return 0;
  const [seeded] = await db.all<{ n: number }>(
    'SELECT count(*)::INTEGER AS n FROM topups WHERE phone_number_id IN (SELECT unnest($ids::VARCHAR[]))',
    { ids: phones.map((p) => p.phone_number_id) },
  );
  if (seeded && seeded.n > 0) return 0;
  let created = 0;
  for (const phone of phones) created += await db.transaction((tx) => seedPhone(tx, phone, deps));
  return created;
}

async function seedPhone(tx: Queryable, phone: Phone, deps: Omit<DemoBalanceDeps, 'db'>): Promise<number> {
  const p = phone.phone_number_id;
  await dateChargesToTheirDay(tx, p, phone.timezone);
  const days = await tx.all<{ day: string; spend: string }>(
    `SELECT local_day AS day, CAST(-SUM(amount) AS DECIMAL(18, 6)) AS spend
       FROM ledger_movements WHERE phone_number_id = $p AND local_day IS NOT NULL GROUP BY local_day ORDER BY local_day`,
    { p },
  );
  if (days.length === 0) return 0;
  const spend = days.map((d) => toMicros(d.spend));
  const avg = (from: number, n: number) => {
    const xs = spend.slice(Math.max(0, from), from + n);
    return xs.length ? xs.reduce((a, b) => a + b, 0n) / BigInt(xs.length) : 0n;
  };
  const round10 = (m: bigint) => {
    const ten = 10_000_000n;
    return m <= ten ? ten : ((m + ten - 1n) / ten) * ten;
  };
  const card = deps.config.feeSchedule.card ?? { percent: '4', fixed: '0' };
  const last = days.length - 1;
  const threshold = round10(avg(last - 29, 30) * 7n);
  const monthly = round10(avg(last - 29, 30) * 30n);
  const amount = monthly > threshold * 3n ? monthly : threshold * 3n; // keep the amount well above the threshold
  let balance = 0n;
  let n = 0;
  let failedOnce = false;
  const topUp = async (
    day: string,
    kind: 'one_time' | 'auto',
    micros: bigint,
    method: string,
    fail = false,
  ) => {
    const fee = method === 'card' ? feeMicros(micros, card, phone.currency) : 0n;
    const id = `tu_demo_${p}_${n++}`;
    const status = fail ? 'failed' : 'settled';
    const at = `timezone($tz::VARCHAR, CAST($day::DATE AS TIMESTAMP) + INTERVAL '9 hours')`;
    await tx.run(
      `INSERT INTO topups (topup_id, phone_number_id, kind, amount, fee, total, currency, payment_method, status,
          requested_at, available_at, settled_at, failed_at, failure_reason)
       VALUES ($id, $p, $kind, CAST($a AS DECIMAL(18, 6)), CAST($fee AS DECIMAL(18, 6)), CAST($total AS DECIMAL(18, 6)),
          $cur, $method, $status::VARCHAR, ${at}, ${at} + INTERVAL '20 minutes',
          CASE WHEN $status::VARCHAR = 'settled' THEN ${at} + INTERVAL '20 minutes' END,
          CASE WHEN $status::VARCHAR = 'failed' THEN ${at} + INTERVAL '5 minutes' END,
          CASE WHEN $status::VARCHAR = 'failed' THEN 'card declined (demo)' END)`,
      {
        id,
        p,
        kind,
        day,
        tz: phone.timezone,
        cur: phone.currency,
        method,
        status,
        a: fromMicros(micros),
        fee: fromMicros(fee),
        total: fromMicros(micros + fee),
      },
    );
    // The ledger rows carry the payment's own times (local 09:00, available 20 minutes later).
    const [times] = await tx.all<{ req: string; avail: string; settled: string | null }>(
      'SELECT requested_at AS req, available_at AS avail, settled_at AS settled FROM topups WHERE topup_id = $id',
      { id },
    );
    const common = {
      phone_number_id: p,
      currency: phone.currency,
      status,
      requested_at: storeInstant(times!.req),
      available_at: storeInstant(times!.avail),
      settled_at: times?.settled ? storeInstant(times.settled) : null,
      topup_id: id,
      ref: method,
    } as const;
    await appendMovement(tx, { ...common, kind: `topup_${kind}`, amount: fromMicros(micros) });
    if (fee > 0n) await appendMovement(tx, { ...common, kind: 'fee', amount: fromMicros(fee) });
    if (!fail) balance += micros;
  };

  for (let i = 0; i < days.length; i++) {
    const day = days[i]!.day;
    if (i === 0) await topUp(day, 'one_time', round10(avg(0, 7) * 30n), 'bank_transfer');
    else if (!phone.first && day.endsWith('-01')) {
      await topUp(day, 'one_time', roundToMinor(avg(i - 30, 30) * 34n, phone.currency), 'bank_transfer');
    }
    if (phone.first && balance <= threshold && i > 0) {
      const fail = !failedOnce && i > days.length / 2;
      if (fail) {
        failedOnce = true;
        await topUp(day, 'auto', amount, 'card', true);
      }
      await topUp(day, 'auto', amount, 'card');
    }
    balance -= spend[i]!;
  }
  if (phone.first) {
    await saveAutoRenewal(
      tx,
      p,
      {
        enabled: true,
        threshold: fromMicros(threshold),
        mode: 'fixed',
        amount: fromMicros(amount),
        monthly_cap: null,
        payment_method: 'card',
        low_balance_threshold: fromMicros(threshold / 2n),
      },
      'demo-seed',
      deps.clock.now(),
    );
  }
  return n;
}
