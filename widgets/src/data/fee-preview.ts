/**
 * The fee and total the wizard shows while the amount is typed, with the service's own money arithmetic (fee on
 * top, rounded half-up once to the currency's minor unit), so the preview equals the quote that follows.
 */
import { feeMicros, fromMicros, toMicros } from '../../../worker/kernel/money.js';

export interface FeeRule {
  readonly percent: string;
  readonly fixed: string;
}

/** A payment method as GET /v1/payment-methods lists it. */
export interface PaymentMethodOffer {
  readonly method: string;
  readonly fee: FeeRule;
}

export interface FeePreview {
  readonly fee: string;
  readonly total: string;
}

/** Fee and total for an amount (plain decimal string) paid with `rule`. */
export function previewFee(amount: string, rule: FeeRule, currency: string): FeePreview {
  const micros = toMicros(amount);
  const fee = feeMicros(micros, rule, currency);
  return { fee: fromMicros(fee), total: fromMicros(micros + fee) };
}

/** Whole days an amount covers at a daily spend (both decimal strings); null without spend to go by. */
export function daysCovered(amount: string, dailySpend: string | null | undefined): number | null {
  if (!dailySpend) return null;
  const daily = toMicros(dailySpend);
  if (daily <= 0n) return null;
  return Number(toMicros(amount) / daily);
}
