/**
 * What follows every change of a number's settled balance, after the commit of the transaction that changed it:
 * the gate's balance cache forgets the number, then one transaction reads the money state of every changed
 * number at once (money-snapshot.ts) and runs the auto-renewal check and the low-balance alert (fired once per
 * crossing, re-armed when the balance is above the level). Run inside the transaction, a gate read on another
 * connection could re-cache the old balance, and a failing renewal would undo the change it follows; a crash
 * between the commit and the effects is caught up by the renewal job (settle-due.ts).
 */
import { fromMicros, toMicros } from '../kernel/money.js';
import { onCommit, type Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { clearAlert, raiseAlert } from '../alerts/alert-table.js';
import { checkAutoRenewal } from './check-renewal.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { readMoneySnapshots } from './money-snapshot.js';

/**
 * Registers the effects of a balance change of these numbers, to run once the money transaction commits. Given
 * the planes of a split store, the effects read usage through the analytics store (a renewal that is a
 * number's first top-up posts the usage of its day).
 */
export async function afterLedgerChange(
  planes: Queryable | Planes,
  phoneNumberIds: string | readonly string[],
  ctx: DomainContext,
): Promise<void> {
  const { analytics, money: tx } = asPlanes(planes);
  const phones = typeof phoneNumberIds === 'string' ? [phoneNumberIds] : [...phoneNumberIds];
  if (phones.length === 0) return;
  onCommit(tx, () => {
    for (const p of phones) ctx.gateBalances?.invalidate(p);
  });
  // One store: the transaction ends with the commit, the effect reads through the store itself.
  const split = analytics !== tx;
  onCommit(tx, (db) =>
    db.transaction((t) => reactToBalances(split ? { analytics, money: t } : t, phones, ctx)),
  );
}

/** Auto-renewal check and low-balance alert of each number, from one snapshot of their money state. */
export async function reactToBalances(
  planes: Queryable | Planes,
  phoneNumberIds: readonly string[],
  ctx: DomainContext,
): Promise<void> {
  const tx = asPlanes(planes).money;
  const snaps = await readMoneySnapshots(tx, phoneNumberIds);
  for (const p of [...phoneNumberIds].sort()) {
    const snap = snaps.get(p);
    if (!snap?.renewal) continue;
    await checkAutoRenewal(planes, snap, ctx);
    const level = snap.renewal.low_balance_threshold;
    if (level === null) continue;
    const balance = fromMicros(snap.balance);
    if (snap.balance <= toMicros(level)) {
      await raiseAlert(tx, {
        phone_number_id: p,
        kind: 'low_balance',
        message: `The balance ${balance} is at or below the alert level ${level}.`,
        data: { balance, level },
        now: ctx.now(),
      });
    } else {
      await clearAlert(tx, p, 'low_balance', ctx.now());
    }
  }
}
