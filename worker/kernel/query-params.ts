/**
 * The pure rules for parameters every path takes alike (HTTP query strings, the CLI, the usage query): id
 * lists, months and days, time zones and currencies. They sit in the kernel so no path keeps its own copy.
 */
import { z } from 'zod';
import { isCalendarDay } from './calendar.js';

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

/** `from` / `to` of a range: a month (YYYY-MM) or a calendar day (YYYY-MM-DD). */
export const monthOrDayParam = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/,
    'must be a month as YYYY-MM or a day as YYYY-MM-DD',
  )
  .refine((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s) || isCalendarDay(s), 'is not a calendar day');

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
