/**
 * Longest-prefix market lookup as SQL over market_prefixes, so pricing stays set-based: each number is cut into
 * its leading 1..N digits and equi-joined (no LIKE scan), the longest prefix valid on the local day wins, and
 * anything unmatched is Other with no country (DOMAIN.md §2.5, §10.12).
 */
import type { Queryable } from '../db/db.js';
import { OTHER_MARKET } from './market-table.js';

/** Longest prefix in the shipped table is 4 digits (+1 area codes); 7 leaves room for uploads of longer ones. */
const MAX_PREFIX = 7;

/**
 * SQL answering (key, market, country) for a source query with columns (key, number, day); `number` may carry
 * '+', spaces or dashes, `day` is the unit's local DATE (remaps are dated in local days).
 */
export function marketLookupSql(source: string): string {
  return `
    WITH s AS (SELECT key, regexp_replace(number, '[^0-9]', '', 'g') AS digits, day FROM (${source}) src),
    cand AS (
      SELECT s.key, p.market, p.country, length(p.prefix) AS len
        FROM s CROSS JOIN range(1, ${MAX_PREFIX + 1}) AS r(l)
        JOIN market_prefixes p
          ON p.prefix = left(s.digits, CAST(r.l AS INTEGER)) AND length(s.digits) >= r.l
         AND (p.effective_from IS NULL OR p.effective_from <= s.day)
         AND (p.effective_to IS NULL OR s.day < p.effective_to)),
    best AS (
      SELECT key, arg_max({'market': market, 'country': country}, len) AS m FROM cand GROUP BY key)
    SELECT s.key, COALESCE(best.m.market, '${OTHER_MARKET}') AS market, best.m.country AS country
      FROM s LEFT JOIN best USING (key)`;
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
    marketLookupSql(`SELECT 1 AS key, $number AS number, CAST($day AS DATE) AS day`),
    { number, day },
  );
  const r = rows[0] ?? { market: OTHER_MARKET, country: null };
  return { number, digits: number.replace(/\D/g, ''), day, market: r.market, country: r.country };
}
