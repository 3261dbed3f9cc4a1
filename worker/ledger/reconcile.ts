/**
 * The reconciliation check: per phone number and WABA-local day, what the usage rollups say the balance should
 * have been charged (from the number's account start on) against what the ledger has posted. The two sides are
 * read apart, each with a plain query in integer micro-units, and compared here with BigInt: the comparison does
 * not depend on both sides living in one database, so it keeps working when usage and money are stored apart.
 * A healthy store reports no drift; a drift means a posting is missing (usage committed, ledger not yet posted)
 * or a movement nobody's usage explains.
 */
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { fromMicros, toMicros } from '../kernel/money.js';
import { readAccountStarts } from './account-start.js';

export interface ReconcileScope {
  readonly partner_id?: string | undefined;
  readonly waba_id?: string | undefined;
}

export interface DriftRow {
  readonly phone_number_id: string;
  readonly currency: string;
  readonly local_day: string;
  /** What the rollups say was due that day (0 before the account's start), as a decimal string. */
  readonly expected: string;
  /** The day's usage charges and adjustments posted in the ledger (a debit counts positive). */
  readonly posted: string;
  /** expected − posted: positive = charges missing from the ledger, negative = charged too much. */
  readonly difference: string;
}

export interface CurrencyTotals {
  readonly currency: string;
  readonly expected: string;
  readonly posted: string;
  readonly difference: string;
}

export interface ReconcileReport {
  readonly checked_at: string;
  readonly in_balance: boolean;
  readonly numbers_checked: number;
  readonly days_checked: number;
  readonly totals: readonly CurrencyTotals[];
  readonly drift_days: number;
  /** The drifting days, largest difference first, at most `limit` of them. */
  readonly drift: readonly DriftRow[];
  readonly truncated: boolean;
  /** The WABA-months a repair recomputes (the sync's unit of work), for the drifting days. */
  readonly repair_scope: readonly { waba_id: string; month: string }[];
}

interface DayAmount {
  phone_number_id: string;
  local_day: string;
  /** A decimal string. */
  amount: string;
}

function key(phone: string, day: string): string {
  return `${phone}\u0000${day}`;
}

/**
 * The numbers both sides are read for: those of the scope's WABAs (money: the truth of tenancy) plus any number
 * with usage there (analytics: a number that moved keeps its old usage, as the sync does).
 */
async function scopeNumbers(p: Planes, scope: ReconcileScope): Promise<string[]> {
  const wabas = await p.money.all<{ waba_id: string }>(
    `SELECT waba_id FROM wabas WHERE ($partner::VARCHAR IS NULL OR partner_id = $partner::VARCHAR)
        AND ($waba::VARCHAR IS NULL OR waba_id = $waba::VARCHAR)`,
    { partner: scope.partner_id ?? null, waba: scope.waba_id ?? null },
  );
  const ids = wabas.map((w) => w.waba_id);
  if (ids.length === 0) return [];
  const registered = await p.money.all<{ phone_number_id: string }>(
    'SELECT phone_number_id FROM phone_numbers WHERE waba_id IN (SELECT unnest($w::VARCHAR[]))',
    { w: ids },
  );
  const used = await p.analytics.all<{ phone_number_id: string }>(
    'SELECT DISTINCT phone_number_id FROM usage_daily WHERE waba_id IN (SELECT unnest($w::VARCHAR[]))',
    { w: ids },
  );
  return [...new Set([...registered, ...used].map((r) => r.phone_number_id))].sort();
}

/** Reads both sides for the scope and reports every (number, local day) where they differ. */
export async function reconcileCharges(
  planes: Queryable | Planes,
  scope: ReconcileScope,
  now: Date,
  limit = 100,
): Promise<ReconcileReport> {
  const p = asPlanes(planes);
  const ids = await scopeNumbers(p, scope);
  if (ids.length === 0) return compare([], [], new Map(), [], now, limit);
  const params = { ids };
  // Usage side (analytics): the rollups' charge per number and day; a negative row counts as zero, as in the sync.
  const due = await p.analytics.all<DayAmount>(
    `SELECT phone_number_id, strftime(local_day, '%Y-%m-%d') AS local_day,
            CAST(SUM(GREATEST(amount, 0)) AS DECIMAL(38, 6))::VARCHAR AS amount
       FROM usage_daily WHERE phone_number_id IN (SELECT unnest($ids::VARCHAR[])) GROUP BY ALL`,
    params,
  );
  // Money side: the account starts, the day's postings and each number's account.
  const starts = await readAccountStarts(p.money, ids);
  const posted = await p.money.all<DayAmount>(
    `SELECT phone_number_id, local_day, CAST(-SUM(amount) AS DECIMAL(38, 6)) AS amount
       FROM ledger_movements
      WHERE local_day IS NOT NULL AND phone_number_id IN (SELECT unnest($ids::VARCHAR[]))
      GROUP BY phone_number_id, local_day`,
    params,
  );
  const accounts = await p.money.all<{ phone_number_id: string; waba_id: string; currency: string }>(
    `SELECT p.phone_number_id, p.waba_id, w.currency FROM phone_numbers p JOIN wabas w ON w.waba_id = p.waba_id
      WHERE p.phone_number_id IN (SELECT unnest($ids::VARCHAR[]))`,
    params,
  );
  return compare(due, posted, starts, accounts, now, limit);
}

function compare(
  due: readonly DayAmount[],
  posted: readonly DayAmount[],
  startOf: ReadonlyMap<string, string | null>,
  accounts: readonly { phone_number_id: string; waba_id: string; currency: string }[],
  now: Date,
  limit: number,
): ReconcileReport {
  const account = new Map(accounts.map((a) => [a.phone_number_id, a]));
  const days = new Map<string, { phone: string; day: string; expected: bigint; posted: bigint }>();
  const at = (phone: string, day: string) => {
    const k = key(phone, day);
    let d = days.get(k);
    if (!d) days.set(k, (d = { phone, day, expected: 0n, posted: 0n }));
    return d;
  };
  for (const r of due) {
    const start = startOf.get(r.phone_number_id) ?? null;
    const d = at(r.phone_number_id, r.local_day);
    // Before the account's start (or with none) nothing is due: history does not debit a new account.
    if (start !== null && r.local_day >= start) d.expected += toMicros(r.amount);
  }
  for (const r of posted) at(r.phone_number_id, r.local_day).posted += toMicros(r.amount);

  const totals = new Map<string, { expected: bigint; posted: bigint }>();
  const drift: (DriftRow & { diff: bigint })[] = [];
  const repair = new Map<string, { waba_id: string; month: string }>();
  for (const d of days.values()) {
    const acct = account.get(d.phone);
    const currency = acct?.currency ?? '';
    const t = totals.get(currency) ?? { expected: 0n, posted: 0n };
    t.expected += d.expected;
    t.posted += d.posted;
    totals.set(currency, t);
    if (d.expected === d.posted) continue;
    const diff = d.expected - d.posted;
    drift.push({
      phone_number_id: d.phone,
      currency,
      local_day: d.day,
      expected: fromMicros(d.expected),
      posted: fromMicros(d.posted),
      difference: fromMicros(diff),
      diff,
    });
    if (acct) {
      const month = `${d.day.slice(0, 7)}-01`;
      repair.set(`${acct.waba_id}\u0000${month}`, { waba_id: acct.waba_id, month });
    }
  }
  const abs = (v: bigint) => (v < 0n ? -v : v);
  drift.sort(
    (a, b) =>
      (abs(b.diff) > abs(a.diff) ? 1 : abs(b.diff) < abs(a.diff) ? -1 : 0) ||
      a.phone_number_id.localeCompare(b.phone_number_id) ||
      a.local_day.localeCompare(b.local_day),
  );
  return {
    checked_at: now.toISOString(),
    in_balance: drift.length === 0,
    numbers_checked: new Set([...days.values()].map((d) => d.phone)).size,
    days_checked: days.size,
    totals: [...totals.entries()]
      .filter(([c]) => c !== '')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({
        currency,
        expected: fromMicros(t.expected),
        posted: fromMicros(t.posted),
        difference: fromMicros(t.expected - t.posted),
      })),
    drift_days: drift.length,
    drift: drift.slice(0, limit).map(({ diff, ...row }) => (void diff, row)),
    truncated: drift.length > limit,
    repair_scope: [...repair.values()].sort(
      (a, b) => a.waba_id.localeCompare(b.waba_id) || a.month.localeCompare(b.month),
    ),
  };
}
