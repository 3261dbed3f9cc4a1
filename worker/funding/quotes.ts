/**
 * Step 2 of "add funds": a quote fixes the amount (given, or enough for N days of expected spend), the fee of
 * the payment method (exact, rounded once to the currency's minor unit, half-up) and the total to pay. It
 * expires after 15 minutes and can be confirmed once.
 */
import { pendingTopUps, phoneAccount, settledBalance } from '../ledger/ledger.js';
import { checkBalanceRoom, MAX_REQUEST_AMOUNT } from '../ledger/limits.js';
import { fromMicros, roundToMinor, toMicros } from '../kernel/money.js';
import type { Queryable } from '../db/db.js';
import { isoMillis } from '../db/instant-text.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { feeFor } from './create-topup.js';
import { estimateSpend } from './estimate-spend.js';
import { assertMethodOffered } from './payment-methods.js';
import type { RollupTables } from '../usage/rollup-tables.js';

export const QUOTE_TTL_MS = 15 * 60 * 1000;

export interface QuoteRenewalSettings {
  readonly threshold: string;
  readonly monthly_cap?: string | null | undefined;
  readonly low_balance_threshold?: string | null | undefined;
}

export interface QuoteInput {
  readonly mode: 'one_time' | 'auto_renewal';
  readonly amount?: string | undefined;
  readonly days?: number | undefined;
  readonly payment_method: string;
  readonly auto_renewal?: QuoteRenewalSettings | undefined;
}

export interface Quote {
  readonly quote_id: string;
  readonly phone_number_id: string;
  readonly mode: 'one_time' | 'auto_renewal';
  readonly currency: string;
  readonly amount: string;
  readonly fee: string;
  readonly total: string;
  readonly payment_method: string;
  readonly expires_at: string;
  readonly basis: Record<string, unknown>;
  readonly auto_renewal: QuoteRenewalSettings | null;
  readonly topup_id: string | null;
}

/**
 * Creates a quote on the money plane (a `days` amount is estimated from usage on the analytics plane, in the
 * `rollups` this replica answers usage from; default its own).
 */
export async function createQuote(
  planes: Queryable | Planes,
  phoneNumberId: string,
  input: QuoteInput,
  ctx: DomainContext,
  rollups?: RollupTables,
): Promise<Quote> {
  const p = asPlanes(planes);
  const tx = p.money;
  const acct = await phoneAccount(tx, phoneNumberId);
  if (!acct) throw new NotFoundError(`Phone number ${phoneNumberId}`);
  assertMethodOffered(ctx.config, input.payment_method, acct.currency);
  const now = ctx.now();
  let amount: bigint;
  let basis: Record<string, unknown>;
  if (input.amount !== undefined) {
    amount = roundToMinor(toMicros(input.amount), acct.currency);
    basis = { kind: 'amount' };
  } else {
    const est = await estimateSpend(p, phoneNumberId, input.days ?? 0, now, rollups);
    amount = toMicros(est.amount);
    basis = { kind: 'days', ...est };
  }
  if (amount <= 0n) {
    throw new ValidationError('The amount to add must be above zero.', [
      {
        column: input.amount !== undefined ? 'amount' : 'days',
        reason:
          input.amount !== undefined
            ? 'must be above zero'
            : 'no recent spend to estimate from; give an amount',
      },
    ]);
  }
  if (amount > toMicros(MAX_REQUEST_AMOUNT)) {
    throw new ValidationError(`The amount to add must be at most ${MAX_REQUEST_AMOUNT}.`, [
      { column: input.amount !== undefined ? 'amount' : 'days', reason: `at most ${MAX_REQUEST_AMOUNT}` },
    ]);
  }
  checkBalanceRoom(
    toMicros(await settledBalance(tx, phoneNumberId)) + toMicros(await pendingTopUps(tx, phoneNumberId)),
    amount,
  );
  if (input.mode === 'auto_renewal' && !input.auto_renewal) {
    throw new ValidationError('Mode auto_renewal needs auto_renewal settings.', [
      { column: 'auto_renewal', reason: 'required when mode is auto_renewal' },
    ]);
  }
  const amountText = fromMicros(amount);
  const fee = feeFor(ctx, input.payment_method, amountText, acct.currency);
  const quoteId = `qt_${crypto.randomUUID()}`;
  await tx.run(
    `INSERT INTO funding_quotes VALUES ($id, $p, $mode, CAST($amount AS DECIMAL(18, 6)), CAST($fee AS DECIMAL(18, 6)),
        CAST($total AS DECIMAL(18, 6)), $cur, $method, $basis, $ar, $now::TIMESTAMPTZ, $exp::TIMESTAMPTZ, NULL)`,
    {
      id: quoteId,
      p: phoneNumberId,
      mode: input.mode,
      amount: amountText,
      fee,
      total: fromMicros(amount + toMicros(fee)),
      cur: acct.currency,
      method: input.payment_method,
      basis: JSON.stringify(basis),
      ar: input.auto_renewal ? JSON.stringify(input.auto_renewal) : null,
      now: now.toISOString(),
      exp: new Date(now.getTime() + QUOTE_TTL_MS).toISOString(),
    },
  );
  return (await getQuote(tx, phoneNumberId, quoteId)) as Quote;
}

/** A quote of this number, or null. */
export async function getQuote(db: Queryable, phoneNumberId: string, quoteId: string): Promise<Quote | null> {
  const rows = await db.all<
    Omit<Quote, 'basis' | 'auto_renewal'> & { basis: string; auto_renewal: string | null }
  >(
    `SELECT quote_id, phone_number_id, mode, currency, amount::VARCHAR AS amount, fee::VARCHAR AS fee,
            total::VARCHAR AS total, payment_method, expires_at,
            basis, auto_renewal, topup_id
       FROM funding_quotes WHERE quote_id = $q AND phone_number_id = $p`,
    { q: quoteId, p: phoneNumberId },
  );
  const r = rows[0];
  if (!r) return null;
  return {
    ...r,
    expires_at: isoMillis(r.expires_at),
    basis: JSON.parse(r.basis) as Record<string, unknown>,
    auto_renewal: r.auto_renewal ? (JSON.parse(r.auto_renewal) as QuoteRenewalSettings) : null,
  };
}

/** A quote that can still be confirmed: known, not expired, not yet used. */
export async function usableQuote(
  db: Queryable,
  phoneNumberId: string,
  quoteId: string,
  now: Date,
): Promise<Quote> {
  const q = await getQuote(db, phoneNumberId, quoteId);
  if (!q) throw new NotFoundError(`Quote ${quoteId}`);
  if (q.topup_id) throw new ConflictError('This quote was already confirmed.', { topup_id: q.topup_id });
  if (new Date(q.expires_at).getTime() <= now.getTime()) {
    throw new ConflictError('This quote has expired; ask for a new one.', { expires_at: q.expires_at });
  }
  return q;
}
