/**
 * What follows every change of a number's settled balance, inside the same transaction: the auto-renewal
 * check and the low-balance alert (fired once per crossing, re-armed when the balance is above the level);
 * after its commit, the gate's balance cache is invalidated.
 */
import { settledBalance } from '../balance/ledger.js';
import { toMicros } from '../kernel/money.js';
import { onCommit, type Queryable } from '../db/db.js';
import { invalidateGateBalance } from '../gate/balance-cache.js';
import { clearAlert, raiseAlert } from './alerts.js';
import { getAutoRenewal } from './auto-renewal.js';
import { checkAutoRenewal } from './check-renewal.js';
import type { FundingContext } from './context.js';

export async function afterLedgerChange(
  tx: Queryable,
  phoneNumberId: string,
  ctx: FundingContext,
): Promise<void> {
  // The gate remembers positive balances for a moment; a ledger change makes its next decision re-read. Only
  // after the commit: a gate read before it still sees the old balance and would remember it again.
  onCommit(tx, () => invalidateGateBalance(phoneNumberId));
  await checkAutoRenewal(tx, phoneNumberId, ctx);
  const s = await getAutoRenewal(tx, phoneNumberId);
  if (!s || s.low_balance_threshold === null) return;
  const balance = await settledBalance(tx, phoneNumberId);
  if (toMicros(balance) <= toMicros(s.low_balance_threshold)) {
    await raiseAlert(tx, {
      phone_number_id: phoneNumberId,
      kind: 'low_balance',
      message: `The balance ${balance} is at or below the alert level ${s.low_balance_threshold}.`,
      data: { balance, level: s.low_balance_threshold },
      now: ctx.now(),
    });
  } else {
    await clearAlert(tx, phoneNumberId, 'low_balance', ctx.now());
  }
}
