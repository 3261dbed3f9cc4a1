/**
 * Bounds on money, so that no amount or sum can overflow DECIMAL(18,6) (< 10^12) and answer a 500: every
 * amount a request names is at most MAX_REQUEST_AMOUNT (checked at the edge, 400), a top-up may not take the
 * settled plus pending balance above MAX_BALANCE (409), and every ledger row stays within MAX_MOVEMENT (409).
 * Sums are read as DECIMAL(38,6) besides, so even rows written before these bounds cannot break a read.
 */
import { LimitExceededError } from '../errors.js';
import { fromMicros, toMicros } from '../kernel/money.js';

/** The largest amount one request may name (a top-up, refund, threshold or cap): 10,000,000. */
export const MAX_REQUEST_AMOUNT = '10000000';
/** The largest settled plus pending balance a top-up may lead to: 100,000,000. */
export const MAX_BALANCE = '100000000';
/** The largest effect of one ledger row (a day's usage charge included): 1,000,000,000. */
export const MAX_MOVEMENT = '1000000000';

const MAX_MOVEMENT_MICROS = toMicros(MAX_MOVEMENT);
const MAX_BALANCE_MICROS = toMicros(MAX_BALANCE);

/** Refuses a ledger row whose amount is beyond MAX_MOVEMENT either way. */
export function checkMovementAmount(micros: bigint, what: string): void {
  if (micros > MAX_MOVEMENT_MICROS || -micros > MAX_MOVEMENT_MICROS) {
    throw new LimitExceededError(`${what} of ${fromMicros(micros)} is beyond the limit of ${MAX_MOVEMENT}.`, {
      limit: MAX_MOVEMENT,
    });
  }
}

/** Refuses a top-up that would take settled plus pending money above MAX_BALANCE. */
export function checkBalanceRoom(settledAndPending: bigint, amount: bigint): void {
  if (settledAndPending + amount > MAX_BALANCE_MICROS) {
    throw new LimitExceededError(
      `This top-up would take the balance (settled and pending) above the limit of ${MAX_BALANCE}.`,
      { limit: MAX_BALANCE, balance_with_pending: fromMicros(settledAndPending) },
    );
  }
}

/** Whether a top-up of `amount` still fits under MAX_BALANCE (for automatic top-ups, which must not throw). */
export function fitsBalance(settledAndPending: bigint, amount: bigint): boolean {
  return settledAndPending + amount <= MAX_BALANCE_MICROS;
}
