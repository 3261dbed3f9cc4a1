/**
 * Zod pieces shared by query strings across routes. The pure parameter rules live in the kernel
 * (kernel/query-params.ts) so the CLI and the usage query share them; they are re-exported here for the routes.
 */
import { z } from 'zod';
import { MAX_REQUEST_AMOUNT } from '../ledger/limits.js';
import { toMicros } from '../kernel/money.js';
import { idSchema } from '../input-rules.js';

export { csvList, currencyParam, dayParam, monthParam, timeZoneParam } from '../kernel/query-params.js';

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

/** How many items a list answer holds: 1..1000, default 100 (`what` names them in the docs). */
export const listLimit = (what: string) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .meta({ description: `${what}, 1..1000, default 100` });
