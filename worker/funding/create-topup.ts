/**
 * Creates a pending top-up: the payment record plus its pending ledger rows (the amount, and the fee paid on
 * top). Nothing counts toward the balance until the payment settles.
 */
import { appendMovement, phoneAccount, type MovementKind } from '../ledger/ledger.js';
import { feeMicros, fromMicros, toMicros } from '../kernel/money.js';
import { postUsageCharges } from './post-usage-charges.js';
import { localMonthOf } from '../kernel/local-time.js';
import type { Queryable } from '../db/db.js';
import { isoMillis, isoMillisOrNull } from '../db/instant-text.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { DomainContext } from '../kernel/domain-context.js';

export type TopUpKind = 'one_time' | 'auto' | 'emergency';

export interface TopUp {
  readonly topup_id: string;
  readonly phone_number_id: string;
  readonly kind: TopUpKind;
  readonly status: 'pending' | 'settled' | 'failed';
  readonly currency: string;
  readonly amount: string;
  readonly fee: string;
  readonly total: string;
  readonly payment_method: string;
  readonly requested_at: string;
  readonly available_by: string;
  readonly settled_at: string | null;
  readonly failed_at: string | null;
  readonly failure_reason: string | null;
  readonly quote_id: string | null;
}

const KIND: Record<TopUpKind, MovementKind> = {
  one_time: 'topup_one_time',
  auto: 'topup_auto',
  emergency: 'topup_emergency',
};

/** The fee of a payment method, exact and rounded once to the minor unit; unknown methods answer 400. */
export function feeFor(ctx: DomainContext, method: string, amount: string, currency: string): string {
  const rule = ctx.config.feeSchedule[method];
  if (!rule) {
    throw new ValidationError(`Payment method "${method}" is not offered.`, [
      {
        column: 'payment_method',
        reason: `must be one of ${Object.keys(ctx.config.feeSchedule).join(', ')}`,
      },
    ]);
  }
  return fromMicros(feeMicros(toMicros(amount), rule, currency));
}

export async function createTopUp(
  planes: Queryable | Planes,
  input: {
    phone_number_id: string;
    kind: TopUpKind;
    amount: string;
    payment_method: string;
    quote_id?: string | null;
    fee?: string;
  },
  ctx: DomainContext,
): Promise<TopUp> {
  const tx = asPlanes(planes).money;
  const acct = await phoneAccount(tx, input.phone_number_id);
  if (!acct) throw new NotFoundError(`Phone number ${input.phone_number_id}`);
  const fee = input.fee ?? feeFor(ctx, input.payment_method, input.amount, acct.currency);
  const total = fromMicros(toMicros(input.amount) + toMicros(fee));
  const now = ctx.now();
  const availableAt = new Date(now.getTime() + ctx.config.settlementDelayMs);
  const topupId = `tu_${crypto.randomUUID()}`;
  await tx.run(
    `INSERT INTO topups (topup_id, phone_number_id, kind, amount, fee, total, currency, payment_method, status,
        quote_id, requested_at, available_at)
     VALUES ($id, $p, $kind, CAST($amount AS DECIMAL(18, 6)), CAST($fee AS DECIMAL(18, 6)),
        CAST($total AS DECIMAL(18, 6)), $cur, $method, 'pending', $quote, $now::TIMESTAMPTZ, $avail::TIMESTAMPTZ)`,
    {
      id: topupId,
      p: input.phone_number_id,
      kind: input.kind,
      amount: input.amount,
      fee,
      total,
      cur: acct.currency,
      method: input.payment_method,
      quote: input.quote_id ?? null,
      now: now.toISOString(),
      avail: availableAt.toISOString(),
    },
  );
  const common = {
    phone_number_id: input.phone_number_id,
    currency: acct.currency,
    status: 'pending' as const,
    requested_at: now,
    available_at: availableAt,
    topup_id: topupId,
  };
  await appendMovement(tx, {
    ...common,
    kind: KIND[input.kind],
    amount: input.amount,
    ref: input.payment_method,
  });
  if (toMicros(fee) !== 0n) {
    await appendMovement(tx, { ...common, kind: 'fee', amount: fee, note: 'paid on top of the top-up' });
  }
  // The first top-up starts the account (unless the partner set an earlier day): the usage of its day, already
  // received, now debits the balance.
  const [first] = await tx.all<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM ledger_movements
      WHERE phone_number_id = $p AND kind LIKE 'topup_%' AND status <> 'failed'`,
    { p: input.phone_number_id },
  );
  if (first?.n === 1) {
    await postUsageCharges(
      planes,
      [{ waba_id: acct.waba_id, month: `${localMonthOf(now, acct.timezone)}-01` }],
      ctx,
    );
  }
  return (await getTopUp(tx, topupId)) as TopUp;
}

const TOPUP_SELECT = `SELECT topup_id, phone_number_id, kind, status, currency, amount::VARCHAR AS amount,
    fee::VARCHAR AS fee, total::VARCHAR AS total, payment_method,
    requested_at, available_at AS available_by, settled_at, failed_at, failure_reason, quote_id
  FROM topups`;

/** A row of TOPUP_SELECT with its instants in the API's form. */
function topUpOf(r: TopUp): TopUp {
  return {
    ...r,
    requested_at: isoMillis(r.requested_at),
    available_by: isoMillis(r.available_by),
    settled_at: isoMillisOrNull(r.settled_at),
    failed_at: isoMillisOrNull(r.failed_at),
  };
}

export async function getTopUp(db: Queryable, topupId: string): Promise<TopUp | null> {
  const rows = await db.all<TopUp>(`${TOPUP_SELECT} WHERE topup_id = $id`, { id: topupId });
  return rows[0] ? topUpOf(rows[0]) : null;
}

/** The top-ups of a number, newest first. */
export async function listTopUps(db: Queryable, phoneNumberId: string): Promise<TopUp[]> {
  const rows = await db.all<TopUp>(
    `${TOPUP_SELECT} WHERE phone_number_id = $p ORDER BY requested_at DESC, topup_id`,
    { p: phoneNumberId },
  );
  return rows.map(topUpOf);
}
