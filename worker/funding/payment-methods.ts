/**
 * Which payment methods a number can pay with: the methods of FEE_SCHEDULE, less those restricted to other
 * currencies by PAYMENT_METHOD_CURRENCIES (Pix is a Brazilian instant payment: BRL only). Quotes, auto-renewal
 * settings and the widgets' method list all ask here, so a method the API lists is one it accepts.
 */
import type { Config, FeeRule } from '../config.js';
import { ValidationError } from '../errors.js';

export type PaymentConfig = Pick<Config, 'feeSchedule' | 'paymentMethodCurrencies'>;

export interface PaymentMethod {
  readonly method: string;
  /** Fee on top of the amount: percent of it plus a fixed part in the number's currency. */
  readonly fee: FeeRule;
}

/** The methods offered in a currency, in the order of the fee schedule. */
export function paymentMethodsFor(config: PaymentConfig, currency: string): PaymentMethod[] {
  return Object.entries(config.feeSchedule)
    .filter(([method]) => {
      const only = config.paymentMethodCurrencies[method];
      return !only || only.includes(currency);
    })
    .map(([method, fee]) => ({ method, fee }));
}

/** Throws 400 naming the offered methods when `method` cannot pay in `currency`. */
export function assertMethodOffered(config: PaymentConfig, method: string, currency: string): void {
  const offered = paymentMethodsFor(config, currency).map((m) => m.method);
  if (offered.includes(method)) return;
  throw new ValidationError(`Payment method "${method}" is not offered in ${currency}.`, [
    { column: 'payment_method', reason: `must be one of ${offered.join(', ')}` },
  ]);
}
