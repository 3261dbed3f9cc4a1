/**
 * Posts usage charges to the ledger (the ledger-sync step of a recompute). Per phone number and WABA-local day,
 * the target is Σ usage_daily.amount (paid units) from the day the number's prepaid account starts
 * (account-start.ts; before it, and while it has no start, the target is 0: a customer's history does not debit
 * a new account); what is posted is the sum of that day's charge/adjustment rows. Only the difference is
 * appended — a first posting as `charge`, later ones (late events, re-pricing, units moving out, a start moved)
 * as `adjustment` — so re-running posts nothing and nothing is ever charged twice.
 * Usage lives on the analytics plane and the ledger on the money plane: each side is read by its own query and
 * the difference is taken here in integer micro-units, so the step is the same whether the planes are one store
 * or two. Usage can only ever cost money: a rollup row with a negative amount (which validation at the edge
 * keeps out) counts as zero, so a day's postings never sum to a credit and a `charge` row only debits; rows the
 * limits cannot hold are refused (409) rather than overflowing. With split planes only the usage source's
 * analytics store posts (usage-source.ts), checked in the posting money transaction.
 */
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { toMicros } from '../kernel/money.js';
import type { WabaMonth } from '../kernel/waba-month.js';
import { readAccountStarts } from './account-start.js';
import { postUsageDiffs, type UsageDiff } from './ledger.js';
import { advanceUsageMarks, latestUnitTimes } from './usage-marks.js';
import { assertUsageSourceIn } from './usage-source.js';

interface DayAmount {
  phone_number_id: string;
  local_day: string;
  amt: string;
}

const key = (phone: string, day: string) => `${phone}\u0000${day}`;
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;

/** The first day of the month after `month` ('YYYY-MM-01'). */
function nextMonth(month: string): string {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The (number, month) pairs of the scope: the WABA's numbers (money: the truth of tenancy) plus every number
 * with usage in that WABA-month (analytics: a number that moved keeps its old usage).
 */
async function scopePairs(p: Planes, scope: readonly WabaMonth[]): Promise<Map<string, Set<string>>> {
  const wabas = [...new Set(scope.map((s) => s.waba_id))];
  const numbers = await p.money.all<{ phone_number_id: string; waba_id: string }>(
    'SELECT phone_number_id, waba_id FROM phone_numbers WHERE waba_id IN (SELECT unnest($w::VARCHAR[]))',
    { w: wabas },
  );
  const used = await p.analytics.all<{ phone_number_id: string; month: string }>(
    `SELECT DISTINCT u.phone_number_id, strftime(u.local_month, '%Y-%m-%d') AS month
       FROM usage_daily u JOIN (SELECT unnest($w) AS waba_id, CAST(unnest($m) AS DATE) AS month) s
         ON u.waba_id = s.waba_id AND u.local_month = s.month`,
    { w: scope.map((s) => s.waba_id), m: scope.map((s) => s.month) },
  );
  const pairs = new Map<string, Set<string>>();
  const add = (phone: string, month: string) => {
    const months = pairs.get(phone) ?? new Set<string>();
    months.add(month);
    pairs.set(phone, months);
  };
  const byWaba = new Map<string, string[]>();
  for (const n of numbers) byWaba.set(n.waba_id, [...(byWaba.get(n.waba_id) ?? []), n.phone_number_id]);
  for (const s of scope) for (const phone of byWaba.get(s.waba_id) ?? []) add(phone, s.month);
  for (const u of used) add(u.phone_number_id, u.month);
  return pairs;
}

/**
 * The differences to post for the scope: what the usage of each (number, day) says was due from the account's
 * start on, minus what the ledger holds for that day.
 */
export async function usageDiffs(
  planes: Queryable | Planes,
  scope: readonly WabaMonth[],
): Promise<UsageDiff[]> {
  const p = asPlanes(planes);
  const pairs = await scopePairs(p, scope);
  if (pairs.size === 0) return [];
  const phones = [...pairs.keys()].sort();
  const months = [...new Set([...pairs.values()].flatMap((m) => [...m]))].sort();
  const range = { phones, from: months[0]!, to: nextMonth(months[months.length - 1]!) };
  const inScope = (r: { phone_number_id: string; local_day: string }) =>
    pairs.get(r.phone_number_id)?.has(monthOf(r.local_day)) ?? false;
  const due = await p.analytics.all<DayAmount>(
    `SELECT phone_number_id, strftime(local_day, '%Y-%m-%d') AS local_day,
            CAST(SUM(GREATEST(amount, 0)) AS DECIMAL(38, 6))::VARCHAR AS amt
       FROM usage_daily
      WHERE phone_number_id IN (SELECT unnest($phones)) AND local_day >= $from::DATE AND local_day < $to::DATE
      GROUP BY phone_number_id, local_day`,
    range,
  );
  const posted = await p.money.all<DayAmount & { n: string }>(
    `SELECT phone_number_id, local_day, CAST(-SUM(amount) AS DECIMAL(38, 6)) AS amt, count(*) AS n
       FROM ledger_movements
      WHERE local_day IS NOT NULL AND phone_number_id IN (SELECT unnest($phones::VARCHAR[]))
        AND local_day >= $from::DATE AND local_day < $to::DATE
      GROUP BY phone_number_id, local_day`,
    range,
  );
  const starts = await readAccountStarts(p.money, phones);
  const days = new Map<string, { phone: string; day: string; target: bigint; posted: bigint; n: number }>();
  const at = (phone: string, day: string) => {
    const k = key(phone, day);
    let d = days.get(k);
    if (!d) days.set(k, (d = { phone, day, target: 0n, posted: 0n, n: 0 }));
    return d;
  };
  for (const r of due.filter(inScope)) {
    const start = starts.get(r.phone_number_id) ?? null;
    if (start !== null && r.local_day >= start) at(r.phone_number_id, r.local_day).target += toMicros(r.amt);
  }
  for (const r of posted.filter(inScope)) {
    const d = at(r.phone_number_id, r.local_day);
    d.posted += toMicros(r.amt);
    d.n += Number(r.n);
  }
  return [...days.values()]
    .filter((d) => d.target !== d.posted)
    .map((d) => ({ phone_number_id: d.phone, local_day: d.day, diff: d.target - d.posted, n: d.n }))
    .sort(
      (a, b) => a.phone_number_id.localeCompare(b.phone_number_id) || a.local_day.localeCompare(b.local_day),
    );
}

/**
 * Brings the ledger's usage charges in line with usage_daily for the scope, posting on the money plane; returns
 * the numbers whose balance changed (the caller registers what follows that change).
 */
export async function syncLedgerCharges(
  planes: Queryable | Planes,
  scope: readonly WabaMonth[],
  now: Date,
): Promise<string[]> {
  if (scope.length === 0) return [];
  const p = asPlanes(planes);
  const diffs = await usageDiffs(p, scope);
  if (diffs.length === 0) return [];
  // Another analytics store's usage would undo the charges the source's usage posted: only the source posts.
  await assertUsageSourceIn(p, now);
  const touched = [...new Set(diffs.map((d) => d.phone_number_id))];
  const months = scope.map((s) => s.month).sort();
  const marks = await latestUnitTimes(
    p.analytics,
    touched,
    months[0]!,
    nextMonth(months[months.length - 1]!),
  );
  await postUsageDiffs(p.money, diffs, now);
  // The gate's holds of these numbers stop counting the sends these charges price (hold-sql.ts).
  await advanceUsageMarks(p.money, marks);
  return touched;
}
