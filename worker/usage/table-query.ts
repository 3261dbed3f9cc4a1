/**
 * The query builder behind GET /v1/usage and GET /v1/charges for any range of days, bucket size and zone. Buckets
 * in each WABA's own zone by day, week, month or quarter come from the rollups (usage_monthly for whole months,
 * usage_daily otherwise); buckets in another zone (UTC or any IANA zone), hours, and the keys the rollups do not
 * hold (template_name, direction) are computed from the counted units themselves, shaped like rollup rows so
 * that both paths share the measures of usage-query.ts. Values are bound; identifiers come from allow-lists.
 */
import type { SqlParams } from '../db/db.js';
import { OWN_ROLLUPS, type RollupTables } from './rollup-tables.js';
import { MEASURES, type Measure } from './usage-query.js';

/** In answer order: the original four first, so existing answers keep their columns and sort. */
export const TABLE_GROUP_KEYS = [
  'phone_number_id',
  'category',
  'country',
  'pricing_type',
  'waba_id',
  'market',
  'template_name',
  'direction',
] as const;
export type TableGroupKey = (typeof TABLE_GROUP_KEYS)[number];
export const GRANULARITIES = ['hour', 'day', 'week', 'month', 'quarter'] as const;
export type TableGranularity = (typeof GRANULARITIES)[number];

/** Keys only the units hold. */
const UNIT_ONLY_KEYS: readonly TableGroupKey[] = ['template_name', 'direction'];

export interface TableQuery {
  readonly phoneNumberIds: readonly string[];
  /** Inclusive day range, 'YYYY-MM-DD', in the zone `tz`. */
  readonly fromDay: string;
  readonly toDay: string;
  readonly granularity: TableGranularity;
  /** 'waba' = each WABA's own zone; otherwise an IANA zone name (checked at the edge). */
  readonly tz: string;
  readonly groupBy: readonly TableGroupKey[];
  readonly measure: Measure;
  /** Page: rows after `offset`, at most `limit` (null = all). */
  readonly limit: number | null;
  readonly offset: number;
  /** The rollups read (default this store's own; a replica that is not the usage source reads the published). */
  readonly rollups?: RollupTables;
}

export function usesUnits(q: Pick<TableQuery, 'tz' | 'granularity' | 'groupBy'>): boolean {
  return q.tz !== 'waba' || q.granularity === 'hour' || q.groupBy.some((k) => UNIT_ONLY_KEYS.includes(k));
}

/** The counted units as rollup-shaped rows with a `period` column. */
function unitRows(q: TableQuery): string {
  const local = q.tz === 'waba' ? 'timezone(w.timezone, u.opened_at)' : 'timezone($tz, u.opened_at)';
  const period =
    q.granularity === 'hour'
      ? `date_trunc('hour', ${local})`
      : `CAST(date_trunc('${q.granularity}', ${local}) AS DATE)`;
  // Any zone's date is within a day of the WABA's: the local_day bound lets DuckDB skip row groups.
  return `
    SELECT ${period} AS period, u.waba_id, u.phone_number_id, u.market, u.recipient_country AS country,
           CAST(u.category AS VARCHAR) AS category, CAST(u.pricing_type AS VARCHAR) AS pricing_type,
           u.template_name, CAST(u.direction AS VARCHAR) AS direction, CAST(u.unit AS VARCHAR) AS unit,
           w.currency, 1 AS n_all, CAST(u.is_free AS INTEGER) AS n_free, CAST(u.is_paid AS INTEGER) AS n_paid,
           CAST(u.is_paid AND u.amount IS NULL AS INTEGER) AS n_unpriced,
           CASE WHEN u.is_paid THEN coalesce(u.amount, 0) ELSE 0 END AS amount
      FROM units u JOIN wabas w ON w.waba_id = u.waba_id
     WHERE u.is_counted AND u.phone_number_id IN (SELECT unnest($phones))
       AND u.local_day BETWEEN CAST($from AS DATE) - 1 AND CAST($to AS DATE) + 1
       AND CAST(${local} AS DATE) BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`;
}

/** Rollup rows with a `period` column (buckets in each WABA's zone). */
function rollupRows(q: TableQuery): string {
  const tables = q.rollups ?? OWN_ROLLUPS;
  const wholeMonths = q.fromDay.endsWith('-01') && isLastDayOfMonth(q.toDay);
  if ((q.granularity === 'month' || q.granularity === 'quarter') && wholeMonths)
    return `
      SELECT CAST(date_trunc('${q.granularity}', local_month) AS DATE) AS period, *
        FROM ${tables.monthly}
       WHERE phone_number_id IN (SELECT unnest($phones))
         AND local_month BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`;
  return `
    SELECT CAST(date_trunc('${q.granularity}', local_day) AS DATE) AS period, *
      FROM ${tables.daily}
     WHERE phone_number_id IN (SELECT unnest($phones))
       AND local_day BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`;
}

/** The SELECT of one page of a usage or charges table; `period` is DATE (TIMESTAMP for hours). */
export function buildTableQuery(q: TableQuery): { sql: string; params: SqlParams } {
  const keys = TABLE_GROUP_KEYS.filter((k) => q.groupBy.includes(k));
  // unit is always a key (conversations and messages never add up); charges add currency.
  const rowKeys = [...keys, 'unit', ...(q.measure === 'charges' ? ['currency'] : [])];
  const source = usesUnits(q) ? unitRows(q) : rollupRows(q);
  const page = q.limit === null ? '' : 'LIMIT $limit OFFSET $offset';
  const money = q.measure === 'charges' ? ' REPLACE (CAST(amount AS DECIMAL(18, 6)) AS amount)' : '';
  const sql = `
    SELECT *${money} FROM (
      SELECT period, ${rowKeys.join(', ')}, ${MEASURES[q.measure]}
        FROM (${source}) src
       GROUP BY ALL)
     ORDER BY period, ${rowKeys.join(', ')}
     ${page}`;
  const params: Record<string, string | bigint | readonly string[]> = {
    phones: [...q.phoneNumberIds],
    from: q.fromDay,
    to: q.toDay,
  };
  if (usesUnits(q) && q.tz !== 'waba') params.tz = q.tz;
  if (q.limit !== null) {
    params.limit = BigInt(q.limit);
    params.offset = BigInt(q.offset);
  }
  return { sql, params };
}

function isLastDayOfMonth(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.getUTCDate() === 1;
}
