/**
 * Decides whether a number needs an automatic top-up now (DOMAIN.md §7.2, §9.5, §10.17):
 * - enabled and settled balance ≤ threshold → one `auto` top-up;
 * - disabled by the user but balance < 0 → one `emergency` top-up per the last saved settings (360dialog:
 *   "a top-up may occur per the last saved settings even when disabled"); not when it disabled itself after
 *   failed payments, since the payment method is known to fail;
 * never while an auto or emergency top-up is pending, and never beyond the monthly cap (counted over
 * non-failed auto/emergency top-ups requested in the current month of the WABA time zone).
 * One emergency top-up per drop below zero: a drop that one top-up does not cover (or whose payment fails)
 * gets no second one; the next is armed only once the settled balance was positive again. An automatic
 * top-up that would take the balance beyond MAX_BALANCE is not made.
 */
import { fitsBalance } from '../ledger/limits.js';
import { ceilToMinor, fromMicros, minMicros, toMicros } from '../kernel/money.js';
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { createTopUp, type TopUp } from './create-topup.js';
import type { MoneySnapshot } from './money-snapshot.js';

/** Makes the automatic top-up the number's money state calls for, if it calls for one (decided from one snapshot). */
export async function checkAutoRenewal(
  planes: Queryable | Planes,
  snap: MoneySnapshot,
  ctx: DomainContext,
): Promise<TopUp | null> {
  const tx = asPlanes(planes).money;
  const s = snap.renewal;
  if (!s) return null;
  const phoneNumberId = snap.phone_number_id;
  const balance = snap.balance;
  if (balance > 0n && snap.emergency_used)
    await tx.run('DELETE FROM emergency_drops WHERE phone_number_id = $p', { p: phoneNumberId });
  let kind: 'auto' | 'emergency';
  if (s.enabled && balance <= toMicros(s.threshold)) kind = 'auto';
  else if (!s.enabled && balance < 0n && s.disabled_reason === null) kind = 'emergency';
  else return null;
  if (kind === 'emergency' && snap.emergency_used) return null;

  const inFlight = await tx.all(
    `SELECT 1 FROM topups WHERE phone_number_id = $p AND kind IN ('auto', 'emergency') AND status = 'pending'
      LIMIT 1`,
    { p: phoneNumberId },
  );
  if (inFlight.length > 0) return null;

  let amount = s.mode === 'fixed' ? toMicros(s.amount) : toMicros(s.amount) - balance;
  if (s.monthly_cap !== null) {
    const spent = await tx.all<{ s: string }>(
      `SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6))::VARCHAR AS s FROM topups
        WHERE phone_number_id = $p AND kind IN ('auto', 'emergency') AND status <> 'failed'
          AND date_trunc('month', timezone($tz, requested_at)) = date_trunc('month', timezone($tz, $now::TIMESTAMPTZ))`,
      { p: phoneNumberId, tz: snap.timezone, now: ctx.now().toISOString() },
    );
    amount = minMicros(amount, toMicros(s.monthly_cap) - toMicros(spent[0]?.s ?? '0'));
  }
  amount = ceilToMinor(amount, snap.currency);
  if (amount <= 0n) return null;
  if (!fitsBalance(balance + snap.pending, amount)) return null;
  const topup = await createTopUp(
    planes,
    { phone_number_id: phoneNumberId, kind, amount: fromMicros(amount), payment_method: s.payment_method },
    ctx,
  );
  if (kind === 'emergency') {
    await tx.run('INSERT INTO emergency_drops VALUES ($p, $t, $now::TIMESTAMPTZ)', {
      p: phoneNumberId,
      t: topup.topup_id,
      now: ctx.now().toISOString(),
    });
  }
  return topup;
}
