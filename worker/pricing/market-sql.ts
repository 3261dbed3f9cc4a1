/**
 * Longest-prefix market lookup as SQL over market_prefixes, so pricing stays set-based (DOMAIN.md §2.5, §10.12).
 * The work is done once per distinct key (a number's leading digits, as many as the longest prefix has), not
 * per unit: each key is cut into its leading 1..n digits and equi-joined to the prefixes (no LIKE scan); the
 * key's timeline is split at every effective date of its candidates, and each span gets the longest prefix
 * valid in it. Units then join their key's span by day, exactly one row each, so there is no per-unit
 * aggregation. Unmatched keys are Other with no country.
 */
import type { Queryable } from '../db/db.js';
import { OTHER_MARKET } from './market-table.js';

/** The longest prefix a lookup reads (the shipped table's longest is 4 digits, +1 area codes). */
const MAX_PREFIX = 7;

/**
 * How many leading digits a span key needs: those of the longest prefix in market_prefixes (1 to MAX_PREFIX).
 * A prefix matches a number exactly when it matches the number's first n digits, so shorter keys give the same
 * markets, and a batch of a million recipients has a few thousand distinct keys instead of hundreds of
 * thousands (the spans are built per key).
 */
export async function prefixKeyLength(db: Queryable): Promise<number> {
  const [r] = await db.all<{ n: number | null }>(
    'SELECT max(length(prefix))::INTEGER AS n FROM market_prefixes',
  );
  return Math.min(MAX_PREFIX, Math.max(1, Number(r?.n ?? 1)));
}

/** SQL expression: the leading `length` digits of a number column (the span key of prefixKeyLength). */
export function prefixKeySql(number: string, length: number = MAX_PREFIX): string {
  const n = Math.min(MAX_PREFIX, Math.max(1, Math.trunc(length)));
  return `left(CASE WHEN regexp_full_match(${number}, '[0-9]*') THEN ${number}
                    ELSE regexp_replace(${number}, '[^0-9]', '', 'g') END, ${n})`;
}

/**
 * SQL answering (pk, lo, hi, market, country) for a source of distinct span keys (column pk, from
 * prefixKeySql): for each key, date spans [lo, hi) with the market in force; market NULL = Other.
 */
export function marketSpansSql(keysSource: string): string {
  return `
    WITH keys AS (SELECT DISTINCT pk FROM (${keysSource}) k),
    cand AS (
      SELECT k.pk, p.market, p.country, length(p.prefix) AS len,
             COALESCE(p.effective_from, DATE '-infinity') AS ef, COALESCE(p.effective_to, DATE 'infinity') AS et
        FROM keys k CROSS JOIN range(1, ${MAX_PREFIX + 1}) AS r(l)
        JOIN market_prefixes p ON p.prefix = left(k.pk, CAST(r.l AS INTEGER)) AND length(k.pk) >= r.l),
    starts AS (
      SELECT DISTINCT pk, b FROM (
        SELECT pk, DATE '-infinity' AS b FROM keys
        UNION ALL SELECT pk, ef FROM cand
        UNION ALL SELECT pk, et FROM cand)),
    spans AS (
      SELECT pk, b AS lo, lead(b, 1, DATE 'infinity') OVER (PARTITION BY pk ORDER BY b) AS hi FROM starts),
    resolved AS (
      SELECT sp.pk, sp.lo, sp.hi, arg_max({'market': c.market, 'country': c.country}, c.len) AS m
        FROM spans sp LEFT JOIN cand c ON c.pk = sp.pk AND c.ef <= sp.lo AND sp.lo < c.et
       GROUP BY ALL)
    SELECT pk, lo, hi, m.market AS market, m.country AS country FROM resolved`;
}

export interface MarketMatch {
  readonly number: string;
  readonly digits: string;
  readonly day: string;
  readonly market: string;
  readonly country: string | null;
}

/** The market and ISO country of one recipient number on a local day. */
export async function lookupMarket(db: Queryable, number: string, day: string): Promise<MarketMatch> {
  const rows = await db.all<{ market: string; country: string | null }>(
    `WITH q AS (SELECT ${prefixKeySql('$number')} AS pk, CAST($day AS DATE) AS day)
     SELECT COALESCE(sp.market, '${OTHER_MARKET}') AS market, sp.country
       FROM q JOIN (${marketSpansSql('SELECT pk FROM q')}) sp ON sp.pk = q.pk AND q.day >= sp.lo AND q.day < sp.hi`,
    { number, day },
  );
  const r = rows[0] ?? { market: OTHER_MARKET, country: null };
  return { number, digits: number.replace(/\D/g, ''), day, market: r.market, country: r.country };
}
