/**
 * The balance ledger of a phone number (DOMAIN.md §9.5): append-only movements; the balance is the sum of the
 * settled movements that affect it, and pending top-ups are reported apart (they never count as balance).
 */
import type { Queryable } from '../db/db.js';
import { checkMovementAmount } from './limits.js';
import { toMicros } from '../kernel/money.js';

export type MovementKind =
  'topup_one_time' | 'topup_auto' | 'topup_emergency' | 'charge' | 'fee' | 'refund' | 'adjustment';
export type MovementStatus = 'pending' | 'settled' | 'failed';

export interface MovementInput {
  readonly phone_number_id: string;
  readonly kind: MovementKind;
  /** Signed decimal string: its effect on the balance (for a fee row, the fee paid; it has no effect). */
  readonly amount: string;
  readonly currency: string;
  readonly status: MovementStatus;
  readonly requested_at: Date;
  readonly available_at?: Date | null;
  readonly local_day?: string | null;
  readonly topup_id?: string | null;
  readonly ref?: string | null;
  readonly note?: string | null;
}

// Sums are DECIMAL(38,6): a sum of DECIMAL(18,6) rows may not fit DECIMAL(18,6) itself.
/** Settled balance as a decimal string ('0.000000' for a number without movements). */
export async function settledBalance(db: Queryable, phoneNumberId: string): Promise<string> {
  const rows = await db.all<{ b: string }>(
    `SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6))::VARCHAR AS b FROM ledger_movements
      WHERE phone_number_id = $p AND status = 'settled' AND affects_balance`,
    { p: phoneNumberId },
  );
  return rows[0]?.b ?? '0.000000';
}

/** Sum of the top-ups confirmed but not yet settled, as a decimal string. */
export async function pendingTopUps(db: Queryable, phoneNumberId: string): Promise<string> {
  const rows = await db.all<{ b: string }>(
    `SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6))::VARCHAR AS b FROM ledger_movements
      WHERE phone_number_id = $p AND status = 'pending' AND affects_balance AND kind LIKE 'topup_%'`,
    { p: phoneNumberId },
  );
  return rows[0]?.b ?? '0.000000';
}

/** 'positive' | 'zero' | 'negative' of a decimal string (sends are blocked at ≤ 0, DOMAIN.md §10.18). */
export function balanceState(balance: string): 'positive' | 'zero' | 'negative' {
  if (/^-/.test(balance) && /[1-9]/.test(balance)) return 'negative';
  return /[1-9]/.test(balance) ? 'positive' : 'zero';
}

/**
 * The sign each kind may have: a charge and a refund only ever take money away, a top-up only adds, a fee
 * records what was paid on top and never counts. Only an adjustment may go either way.
 */
export function checkMovementSign(kind: MovementKind, micros: bigint): void {
  const ok =
    kind === 'charge' || kind === 'refund'
      ? micros < 0n
      : kind === 'fee'
        ? micros >= 0n
        : kind === 'adjustment'
          ? true
          : micros > 0n;
  if (!ok) throw new RangeError(`a ${kind} movement cannot have the effect ${micros} on a balance`);
}

/** Appends one movement and returns its id; refuses a sign its kind cannot have and amounts beyond the limit. */
export async function appendMovement(tx: Queryable, m: MovementInput): Promise<string> {
  const micros = toMicros(m.amount);
  checkMovementSign(m.kind, micros);
  checkMovementAmount(micros, `A ${m.kind} movement`);
  const id = `mv_${crypto.randomUUID()}`;
  await tx.run(
    `INSERT INTO ledger_movements (movement_id, seq, phone_number_id, kind, amount, affects_balance, currency,
        status, requested_at, available_at, settled_at, local_day, topup_id, ref, note)
     VALUES ($id, nextval('ledger_seq'), $p, $kind, CAST($amount AS DECIMAL(18, 6)), $affects, $cur, $status,
        $req::TIMESTAMPTZ, $avail::TIMESTAMPTZ, $settled::TIMESTAMPTZ, $day::DATE, $topup, $ref, $note)`,
    {
      id,
      p: m.phone_number_id,
      kind: m.kind,
      amount: m.amount,
      affects: m.kind !== 'fee',
      cur: m.currency,
      status: m.status,
      req: m.requested_at.toISOString(),
      avail: (m.available_at ?? (m.status === 'settled' ? m.requested_at : null))?.toISOString() ?? null,
      settled: m.status === 'settled' ? m.requested_at.toISOString() : null,
      day: m.local_day ?? null,
      topup: m.topup_id ?? null,
      ref: m.ref ?? null,
      note: m.note ?? null,
    },
  );
  return id;
}

/** The WABA currency (= balance currency) and time zone of a phone number. */
export async function phoneAccount(
  db: Queryable,
  phoneNumberId: string,
): Promise<{ currency: string; timezone: string; partner_id: string; waba_id: string } | null> {
  const rows = await db.all<{ currency: string; timezone: string; partner_id: string; waba_id: string }>(
    `SELECT w.currency, w.timezone, w.partner_id, w.waba_id FROM phone_numbers p JOIN wabas w USING (waba_id)
      WHERE p.phone_number_id = $p`,
    { p: phoneNumberId },
  );
  return rows[0] ?? null;
}
