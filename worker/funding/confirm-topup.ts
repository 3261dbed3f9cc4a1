/**
 * Step 3 of "add funds": confirms a quote under an Idempotency-Key (see idempotency.ts): concurrent retries
 * with one key see the stored answer and exactly one top-up exists. A top-up that would take the settled plus
 * pending balance beyond MAX_BALANCE answers 409.
 */
import { pendingTopUps, settledBalance } from '../ledger/ledger.js';
import { checkBalanceRoom } from '../ledger/limits.js';
import { toMicros } from '../kernel/money.js';
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { getAutoRenewal, mergeAutoRenewal, saveAutoRenewal } from './auto-renewal.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { createTopUp } from './create-topup.js';
import { runIdempotent, type IdempotentAnswer } from './idempotency.js';
import { usableQuote } from './quotes.js';

export type ConfirmAnswer = IdempotentAnswer;

export async function confirmTopUp(
  planes: Queryable | Planes,
  input: { owner: string; idempotencyKey: string; phoneNumberId: string; quoteId: string; actor: string },
  ctx: DomainContext,
): Promise<ConfirmAnswer> {
  const tx = asPlanes(planes).money;
  const now = ctx.now();
  const request = ['confirm-topup', input.phoneNumberId, input.quoteId];
  return runIdempotent(tx, { owner: input.owner, key: input.idempotencyKey, request, now }, () =>
    confirmOnce(planes, input, now, ctx),
  );
}

async function confirmOnce(
  planes: Queryable | Planes,
  input: { phoneNumberId: string; quoteId: string; actor: string },
  now: Date,
  ctx: DomainContext,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const tx = asPlanes(planes).money;
  const quote = await usableQuote(tx, input.phoneNumberId, input.quoteId, now);
  const held =
    toMicros(await settledBalance(tx, input.phoneNumberId)) +
    toMicros(await pendingTopUps(tx, input.phoneNumberId));
  checkBalanceRoom(held, toMicros(quote.amount));
  const topup = await createTopUp(
    planes,
    {
      phone_number_id: input.phoneNumberId,
      kind: 'one_time',
      amount: quote.amount,
      fee: quote.fee,
      payment_method: quote.payment_method,
      quote_id: quote.quote_id,
    },
    ctx,
  );
  await tx.run('UPDATE funding_quotes SET topup_id = $t WHERE quote_id = $q', {
    t: topup.topup_id,
    q: quote.quote_id,
  });
  let autoRenewal: unknown = null;
  if (quote.mode === 'auto_renewal' && quote.auto_renewal) {
    // Choosing auto-renewal in the add-funds flow pays the first top-up now and saves the renewal settings:
    // the same amount whenever the balance falls to the threshold.
    // A cap or low-balance level set elsewhere survives unless this quote names its own.
    const settings = mergeAutoRenewal(await getAutoRenewal(tx, input.phoneNumberId), {
      enabled: true,
      threshold: quote.auto_renewal.threshold,
      mode: 'fixed',
      amount: quote.amount,
      monthly_cap: quote.auto_renewal.monthly_cap,
      payment_method: quote.payment_method,
      low_balance_threshold: quote.auto_renewal.low_balance_threshold,
    });
    const saved = await saveAutoRenewal(tx, input.phoneNumberId, settings, input.actor, now);
    autoRenewal = saved.after;
  }
  const body: Record<string, unknown> = {
    topup_id: topup.topup_id,
    status: 'pending',
    currency: topup.currency,
    amount: topup.amount,
    fee: topup.fee,
    total: topup.total,
    payment_method: topup.payment_method,
    available_by: topup.available_by,
    ...(autoRenewal ? { auto_renewal: autoRenewal } : {}),
  };
  return { status: 202, body };
}
