/**
 * Step 3 of "add funds": confirms a quote under an Idempotency-Key. The key, a hash of the request and the
 * first answer are stored in the same writer transaction that creates the top-up; writers are serialised, so
 * concurrent retries with one key see the stored answer and exactly one top-up exists. The same key with a
 * different request answers 422.
 */
import { sha256Hex } from '../auth/crypto.js';
import type { Queryable } from '../db/db.js';
import { IdempotencyKeyReusedError } from '../errors.js';
import { getAutoRenewal, mergeAutoRenewal, saveAutoRenewal } from './auto-renewal.js';
import type { FundingContext } from './context.js';
import { createTopUp } from './create-topup.js';
import { usableQuote } from './quotes.js';

export interface ConfirmAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** True when this answer was replayed from an earlier request with the same key. */
  readonly replayed: boolean;
}

export async function confirmTopUp(
  tx: Queryable,
  input: { owner: string; idempotencyKey: string; phoneNumberId: string; quoteId: string; actor: string },
  ctx: FundingContext,
): Promise<ConfirmAnswer> {
  const hash = await sha256Hex(JSON.stringify(['confirm-topup', input.phoneNumberId, input.quoteId]));
  const seen = await tx.all<{ request_hash: string; status: number; response: string }>(
    'SELECT request_hash, status, response FROM idempotency_keys WHERE owner = $o AND idem_key = $k',
    { o: input.owner, k: input.idempotencyKey },
  );
  const prior = seen[0];
  if (prior) {
    if (prior.request_hash !== hash) throw new IdempotencyKeyReusedError();
    return {
      status: Number(prior.status),
      body: JSON.parse(prior.response) as Record<string, unknown>,
      replayed: true,
    };
  }

  const now = ctx.now();
  const quote = await usableQuote(tx, input.phoneNumberId, input.quoteId, now);
  const topup = await createTopUp(
    tx,
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
  await tx.run(`INSERT INTO idempotency_keys VALUES ($o, $k, $h, 202, $body, $now::TIMESTAMPTZ)`, {
    o: input.owner,
    k: input.idempotencyKey,
    h: hash,
    body: JSON.stringify(body),
    now: now.toISOString(),
  });
  return { status: 202, body, replayed: false };
}
