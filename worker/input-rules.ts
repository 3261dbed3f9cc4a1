/**
 * The one set of rules for ids and values that come from outside, shared by every path that takes them: HTTP
 * routes (zod), the record ingest (the same patterns in SQL, for every format and the CLI) and webhook envelopes.
 * A pattern is written once, in the subset of regular-expression syntax that JavaScript and DuckDB's RE2 read
 * alike, and used whole (^…$ in JavaScript, regexp_full_match in SQL).
 */
import { z } from 'zod';

/** Partner, WABA and phone-number ids (Meta's are digits; ours may be readable names). */
export const ID_PATTERN = '[A-Za-z0-9_.:-]{1,128}';
export const ID_REASON = 'must be 1 to 128 letters, digits, _ . : or -';

/** Unit ids are Meta's conversation ids and wamids, which are base64 text (`wamid.HBgL…==`). */
export const UNIT_ID_PATTERN = '[A-Za-z0-9_.:=+/-]{1,256}';
export const UNIT_ID_REASON = 'must be 1 to 256 letters, digits, _ . : = + / or -';

/** A customer's WhatsApp id: the digits of a phone number, no +. */
export const WA_ID_PATTERN = '[0-9]{5,20}';
export const WA_ID_REASON = 'must be the digits of a phone number (5 to 20, no +)';

/** A display phone number as Meta reports it. */
export const DISPLAY_NUMBER_PATTERN = '[0-9]{6,15}';
export const DISPLAY_NUMBER_REASON = 'must be 6 to 15 digits, no +';

/**
 * Money per unit (`rate`, `cost`): a plain non-negative decimal with at most 6 significant decimals (trailing
 * zeros beyond them are exact and allowed) and at most MAX_UNIT_MONEY, so that no sum of a month's units can
 * leave DECIMAL(18,6). Nothing is rounded: a value that does not fit is refused.
 */
export const UNIT_MONEY_PATTERN = '[0-9]+([.][0-9]{1,6}0*)?';
export const MAX_UNIT_MONEY = 10_000;

/**
 * Timestamps: years 2014–2100 (as written; epoch seconds in the same range), RFC 3339 offsets up to ±14:00.
 * Anything earlier or later is a typo or an attack, and would put units into months no report can show.
 */
export const TS_YEAR_PATTERN = '(201[4-9]|20[2-9][0-9]|2100)';
export const TS_PATTERN =
  `${TS_YEAR_PATTERN}-[0-9]{2}-[0-9]{2}` +
  '([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?([Zz]|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?';
export const TS_REASON =
  'must be an RFC 3339 timestamp (years 2014–2100, offset at most ±14:00) or epoch seconds in that range';
export const EPOCH_REASON = 'must be epoch seconds from 2014 to 2100';
/** 2014-01-01T00:00:00Z and 2100-12-31T23:59:59Z as epoch seconds. */
export const MIN_EPOCH_S = 1_388_534_400;
export const MAX_EPOCH_S = 4_133_980_799;

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);

export const ID_RE = whole(ID_PATTERN);
export const UNIT_ID_RE = whole(UNIT_ID_PATTERN);
export const WA_ID_RE = whole(WA_ID_PATTERN);
export const DISPLAY_NUMBER_RE = whole(DISPLAY_NUMBER_PATTERN);

export const idSchema = z.string().regex(ID_RE, ID_REASON);
export const waIdSchema = z.string().regex(WA_ID_RE, WA_ID_REASON);
export const displayNumberSchema = z.string().regex(DISPLAY_NUMBER_RE, DISPLAY_NUMBER_REASON);

/** True for epoch seconds (as text) inside the accepted range. */
export function isEpochSecondsInRange(v: string): boolean {
  if (!/^[0-9]{1,11}$/.test(v)) return false;
  const n = Number(v);
  return n >= MIN_EPOCH_S && n <= MAX_EPOCH_S;
}
