/** Zod pieces shared by query strings across routes. */
import { z } from 'zod';
import { MAX_REQUEST_AMOUNT } from '../ledger/limits.js';
import { toMicros } from '../kernel/money.js';
import { idSchema } from '../input-rules.js';

/** `a,b` or repeated `?x=a&x=b` → string[]; hono gives a string for single values. */
export const csvList = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean),
);

export const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');

export const dayParam = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date as YYYY-MM-DD');

/** Partner, WABA and phone-number ids: the rule every path shares (input-rules.ts). */
export const idParam = idSchema;

const DECIMAL = /^-?\d{1,12}(\.\d{1,6})?$/;

/** A money amount as a decimal string with at most 6 decimals. */
export const decimalString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((s) => DECIMAL.test(s), 'must be a decimal number with at most 6 decimals');

const MAX_REQUEST_MICROS = toMicros(MAX_REQUEST_AMOUNT);
// Zod runs every refinement even after one failed: a value that is no decimal is left to the first one, not
// handed to toMicros (which throws on it).
const withinLimit = (s: string) => !DECIMAL.test(s) || toMicros(s) <= MAX_REQUEST_MICROS;

/** An amount of money a request may name: above zero and at most MAX_REQUEST_AMOUNT. */
export const positiveAmount = decimalString
  .refine((s) => !s.startsWith('-') && /[1-9]/.test(s), 'must be above zero')
  .refine(withinLimit, `must be at most ${MAX_REQUEST_AMOUNT}`);

/** A level of money a request may name (a threshold): zero or more, at most MAX_REQUEST_AMOUNT. */
export const nonNegativeAmount = decimalString
  .refine((s) => !s.startsWith('-'), 'must not be negative')
  .refine(withinLimit, `must be at most ${MAX_REQUEST_AMOUNT}`);

/** Checks an IANA time zone name with Intl (available under Node and workerd). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

export const timeZoneParam = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin');
export const currencyParam = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
