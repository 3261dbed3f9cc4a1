/**
 * Refund of unused balance (DOMAIN.md §7.2 "Refund account funds"): a settled negative movement that can never
 * exceed the settled balance (pending top-ups do not count). An amount that rounds to nothing in the currency
 * (0.001 EUR) is a bad request, like zero itself.
 */
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { afterLedgerChange } from './after-ledger-change.js';
import { appendMovement, phoneAccount, settledBalance } from '../ledger/ledger.js';
import { fromMicros, roundToMinor, toMicros } from '../kernel/money.js';

export async function refundBalance(
  planes: Queryable | Planes,
  input: { phone_number_id: string; amount: string; reason: string | null; actor: string },
  ctx: DomainContext,
): Promise<{ movement_id: string; amount: string; balance: string; currency: string }> {
  const tx = asPlanes(planes).money;
  const acct = await phoneAccount(tx, input.phone_number_id);
  if (!acct) throw new NotFoundError(`Phone number ${input.phone_number_id}`);
  const amount = roundToMinor(toMicros(input.amount), acct.currency);
  const balance = toMicros(await settledBalance(tx, input.phone_number_id));
  if (amount <= 0n) {
    throw new ValidationError('A refund must be above zero.', [
      { column: 'amount', reason: `must be at least one minor unit of ${acct.currency}` },
    ]);
  }
  if (amount > balance) {
    throw new ConflictError('A refund cannot exceed the settled balance.', { balance: fromMicros(balance) });
  }
  const id = await appendMovement(tx, {
    phone_number_id: input.phone_number_id,
    kind: 'refund',
    amount: fromMicros(-amount),
    currency: acct.currency,
    status: 'settled',
    requested_at: ctx.now(),
    ref: input.actor,
    note: input.reason,
  });
  await afterLedgerChange(planes, input.phone_number_id, ctx);
  return {
    movement_id: id,
    amount: fromMicros(amount),
    balance: await settledBalance(tx, input.phone_number_id),
    currency: acct.currency,
  };
}
