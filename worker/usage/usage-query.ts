/**
 * The one query builder behind GET /v1/usage and GET /v1/charges: it reads the rollups (usage_monthly for
 * months, usage_daily for days), filters by the caller's visible numbers and the local-month range, groups by
 * allow-listed keys only, and sorts by period then keys. Values are always bound; identifiers come from the
 * allow-list below, never from the request.
 */
import type { SqlParams } from '../db/db.js';

export const GROUP_KEYS = ['phone_number_id', 'category', 'country', 'pricing_type'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];
export type Granularity = 'month' | 'day';
export type Measure = 'usage' | 'charges';

export interface UsageQuery {
  readonly phoneNumberIds: readonly string[];
  /** First local month, 'YYYY-MM-01'. */
  readonly from: string;
  /** Last local month (inclusive), 'YYYY-MM-01'. */
  readonly to: string;
  readonly granularity: Granularity;
  /** Group keys; output follows GROUP_KEYS order whatever order they came in. */
  readonly groupBy: readonly GroupKey[];
  readonly measure: Measure;
}

export const MEASURES: Record<Measure, string> = {
  usage: `CAST(sum(n_all) AS BIGINT) AS "all", CAST(sum(n_free) AS BIGINT) AS free,
          CAST(sum(n_paid) AS BIGINT) AS paid`,
  // amount is the sum of the priced units; a row whose paid units were all unpriced has no amount (NULL), not 0
  // (the answer's unpriced_units counts them, by market and category).
  charges: `CAST(sum(n_paid) AS BIGINT) AS paid,
            CASE WHEN sum(n_paid) > 0 AND sum(n_unpriced) = sum(n_paid) THEN NULL
                 ELSE CAST(sum(amount) AS DECIMAL(38, 6)) END AS amount`,
};

/** The count columns a measure answers (integers on the wire). */
export const COUNT_COLUMNS: Record<Measure, readonly string[]> = {
  usage: ['all', 'free', 'paid'],
  charges: ['paid'],
};

/** Builds the SELECT for a usage or charges table. */
export function buildUsageQuery(q: UsageQuery): { sql: string; params: SqlParams } {
  const keys = GROUP_KEYS.filter((k) => q.groupBy.includes(k));
  // unit is always a key (conversations and messages never add up); charges add currency, since a partner may
  // hold WABAs in several currencies.
  const rowKeys = [...keys, 'unit', ...(q.measure === 'charges' ? ['currency'] : [])];
  const period =
    q.granularity === 'day' ? `strftime(local_day, '%Y-%m-%d')` : `strftime(local_month, '%Y-%m')`;
  const table = q.granularity === 'day' ? 'usage_daily' : 'usage_monthly';
  const sql = `
    SELECT ${period} AS period, ${rowKeys.join(', ')}, ${MEASURES[q.measure]}
      FROM ${table}
     WHERE phone_number_id IN (SELECT unnest($phones))
       AND local_month BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
     GROUP BY ALL
     ORDER BY period, ${rowKeys.join(', ')}`;
  return { sql, params: { phones: [...q.phoneNumberIds], from: q.from, to: q.to } };
}
