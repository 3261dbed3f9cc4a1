/**
 * What the funding widgets share: the payment methods a number can use (from the service, per currency), their
 * names, and the message for an amount that could not be read.
 */
import type { ApiClient } from './api-client.js';
import { parseAmount, separatorsOf, toInputText, type ParsedAmount } from './data/parse-amount.js';
import type { PaymentMethodOffer } from './data/fee-preview.js';
import { minorDigits } from '../../worker/kernel/money.js';
import type { Translate } from './catalogue.js';

/** The methods offered for a number's currency (GET /v1/payment-methods). */
export async function loadPaymentMethods(
  api: ApiClient,
  phoneNumberId: string,
  signal?: AbortSignal,
): Promise<{ currency: string; methods: PaymentMethodOffer[] }> {
  return api.get('/v1/payment-methods', { phone_number_id: phoneNumberId }, signal);
}

const METHOD_KEYS = { card: 'methodCard', bank_transfer: 'methodBankTransfer', pix: 'methodPix' } as const;

/** A method's name for people; a method the catalogue does not know shows its id. */
export function methodName(t: Translate, method: string): string {
  const key = METHOD_KEYS[method as keyof typeof METHOD_KEYS];
  return key ? t(key) : method;
}

/** Reads a typed amount; `error` is the message to show when it cannot be used. */
export function readAmount(
  t: Translate,
  raw: string,
  locale: string | undefined,
  currency: string,
): ParsedAmount & { readonly error: string } {
  const r = parseAmount(raw, locale, currency);
  if (r.ok) return { ...r, error: '' };
  const example = toInputText('49.9', locale, currency);
  // "30.00" typed in de-DE: show it the locale's way ("30,00").
  const asDecimal = /^(\d+)[.,](\d{1,2})$/.exec(raw.trim());
  const decimal = separatorsOf(locale).decimal;
  const error =
    r.problem === 'empty'
      ? t('amountEmpty')
      : r.problem === 'ambiguous'
        ? t('amountAmbiguous', {
            text: raw.trim(),
            decimal,
            example: asDecimal ? `${asDecimal[1]}${decimal}${asDecimal[2]!.padEnd(2, '0')}` : example,
          })
        : r.problem === 'precision'
          ? t('amountPrecision', { digits: minorDigits(currency), currency })
          : r.problem === 'zero'
            ? t('amountZero')
            : t('amountInvalid', { example });
  return { ...r, error };
}

/** A threshold: like an amount, but zero (and an empty field) means "when the balance is used up". */
export function readThreshold(
  t: Translate,
  raw: string,
  locale: string | undefined,
  currency: string,
): { readonly value: string | null; readonly error: string } {
  if (raw.trim() === '') return { value: '0', error: '' };
  const r = readAmount(t, raw, locale, currency);
  if (r.ok) return { value: r.value, error: '' };
  return r.problem === 'zero' ? { value: '0', error: '' } : { value: null, error: r.error };
}
