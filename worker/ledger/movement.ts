/**
 * What a ledger row may be (DOMAIN.md §9.5), checked at the door before anything is written: its currency is the
 * account's, its amount fits the ledger's scale (6 decimals) and limit, its sign is one its kind can have, and
 * its status is one its kind can take (only a top-up's rows, and their fee's, wait for or fail with a payment).
 */
import { toMicros } from '../kernel/money.js';
import { LedgerRefusedError } from '../errors.js';
import { checkMovementAmount } from './limits.js';

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
  /** Settled rows only; default: requested_at. */
  readonly settled_at?: Date | null;
  readonly local_day?: string | null;
  readonly topup_id?: string | null;
  readonly ref?: string | null;
  readonly note?: string | null;
}

const TOPUP_KINDS: readonly MovementKind[] = ['topup_one_time', 'topup_auto', 'topup_emergency'];

/** Whether a kind is money coming in from a payment. */
export const isTopUpKind = (kind: MovementKind): boolean => TOPUP_KINDS.includes(kind);

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
  if (!ok) {
    throw new LedgerRefusedError(`a ${kind} movement cannot have the effect ${micros} on a balance`, {
      kind,
    });
  }
}

/** An amount as micro-units, refusing anything finer than the ledger's 6 decimals (nothing is rounded here). */
export function movementMicros(amount: string): bigint {
  if (!/^-?\d+(\.\d{1,6})?$/.test(amount.trim())) {
    throw new LedgerRefusedError(`the amount "${amount}" is not a decimal of at most 6 places`, { amount });
  }
  return toMicros(amount);
}

/** Every check of one row against the account it is posted to; returns the amount in micro-units. */
export function checkMovement(m: MovementInput, accountCurrency: string): bigint {
  if (m.currency !== accountCurrency) {
    throw new LedgerRefusedError(
      `a ${m.kind} movement in ${m.currency} cannot be posted to an account kept in ${accountCurrency}`,
      { currency: m.currency, account_currency: accountCurrency },
    );
  }
  const micros = movementMicros(m.amount);
  checkMovementSign(m.kind, micros);
  checkMovementAmount(micros, `A ${m.kind} movement`);
  const waits = isTopUpKind(m.kind) || m.kind === 'fee';
  if (m.status !== 'settled' && !(waits && m.topup_id)) {
    throw new LedgerRefusedError(`a ${m.kind} movement cannot be posted as ${m.status}`, {
      kind: m.kind,
      status: m.status,
    });
  }
  if (m.kind === 'fee' && !m.topup_id) {
    throw new LedgerRefusedError('a fee movement belongs to a top-up', { kind: m.kind });
  }
  return micros;
}
