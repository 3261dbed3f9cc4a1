/**
 * The balance breakdown across numbers: each number's settled balance and pending top-ups, the total per
 * currency, and each number's share of its currency total (4 decimals, exact, half-up; null when the total
 * is zero, or when the currency's balances have both signs: a share of credit netted against debt means nothing).
 */
import type { PhoneNumberRow } from '../auth/access.js';
import type { Queryable } from '../db/db.js';
import { balanceState } from './ledger.js';
import { fromMicros, toMicros } from '../kernel/money.js';
import { ranOutAt } from './ran-out.js';

export interface Breakdown {
  readonly totals: { currency: string; balance: string; pending: string }[];
  readonly numbers: {
    phone_number_id: string;
    label: string | null;
    display_phone_number: string | null;
    currency: string;
    balance: string;
    pending: string;
    share: string | null;
    state: 'positive' | 'zero' | 'negative';
    /** While the balance is at or below zero: when it got there (null if it was never positive). */
    ran_out_at: string | null;
  }[];
}

function share(part: bigint, total: bigint): string | null {
  if (total === 0n) return null;
  const neg = part < 0n !== total < 0n && part !== 0n;
  const a = part < 0n ? -part : part;
  const t = total < 0n ? -total : total;
  const q = (a * 20000n + t) / (2n * t); // ten-thousandths, half-up
  const text = `${q / 10000n}.${(q % 10000n).toString().padStart(4, '0')}`;
  return neg ? `-${text}` : text;
}

function shareOf(part: bigint, total: { balance: bigint; up: boolean; down: boolean } | undefined) {
  return !total || (total.up && total.down) ? null : share(part, total.balance);
}

export async function balanceBreakdown(db: Queryable, phones: readonly PhoneNumberRow[]): Promise<Breakdown> {
  const ids = phones.map((p) => p.phone_number_id);
  const sums = await db.all<{ phone_number_id: string; balance: string; pending: string }>(
    `SELECT phone_number_id,
            CAST(COALESCE(SUM(amount) FILTER (WHERE status = 'settled'), 0) AS DECIMAL(38, 6))::VARCHAR AS balance,
            CAST(COALESCE(SUM(amount) FILTER (WHERE status = 'pending' AND kind LIKE 'topup_%'), 0) AS DECIMAL(38, 6))::VARCHAR AS pending
       FROM ledger_movements WHERE affects_balance AND phone_number_id = ANY($ids::VARCHAR[]) GROUP BY phone_number_id`,
    { ids },
  );
  const byId = new Map(sums.map((s) => [s.phone_number_id, s]));
  const ranOut = await ranOutAt(db, ids);
  const totals = new Map<string, { balance: bigint; pending: bigint; up: boolean; down: boolean }>();
  for (const p of phones) {
    const s = byId.get(p.phone_number_id);
    const t = totals.get(p.currency) ?? { balance: 0n, pending: 0n, up: false, down: false };
    const b = toMicros(s?.balance ?? '0');
    t.balance += b;
    t.pending += toMicros(s?.pending ?? '0');
    t.up ||= b > 0n;
    t.down ||= b < 0n;
    totals.set(p.currency, t);
  }
  return {
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({ currency, balance: fromMicros(t.balance), pending: fromMicros(t.pending) })),
    numbers: phones.map((p) => {
      const s = byId.get(p.phone_number_id);
      const balance = s?.balance ?? '0.000000';
      return {
        phone_number_id: p.phone_number_id,
        label: p.label,
        display_phone_number: p.display_phone_number,
        currency: p.currency,
        balance,
        pending: s?.pending ?? '0.000000',
        share: shareOf(toMicros(balance), totals.get(p.currency)),
        state: balanceState(balance),
        ran_out_at: balanceState(balance) === 'positive' ? null : (ranOut.get(p.phone_number_id) ?? null),
      };
    }),
  };
}
