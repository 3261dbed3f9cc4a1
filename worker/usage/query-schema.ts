/**
 * The query string of GET /v1/usage and GET /v1/charges, validated with zod at the edge. Unknown parameters
 * are refused too, so a typo (grop_by) is a 400 naming it rather than a silently ignored filter.
 */
import { z } from 'zod';
import { idSchema } from '../input-rules.js';
import { csvList, isTimeZone, monthOrDayParam } from '../kernel/query-params.js';
import { GRANULARITIES, TABLE_GROUP_KEYS, type TableGroupKey } from './table-query.js';

export const MAX_PAGE_ROWS = 100_000;

const ids = csvList.pipe(z.array(idSchema).max(1000, 'at most 1000 ids'));

export const usageQuerySchema = z
  .object({
    waba_id: ids.optional(),
    phone_number_id: ids.optional(),
    from: monthOrDayParam.optional(),
    to: monthOrDayParam.optional(),
    granularity: z.enum(GRANULARITIES, { error: `must be one of ${GRANULARITIES.join(', ')}` }).optional(),
    tz: z
      .string()
      .refine(
        (s) => s === 'waba' || isTimeZone(s),
        'must be waba, UTC or an IANA time zone such as Asia/Kolkata',
      )
      .optional(),
    group_by: csvList
      .pipe(z.array(z.enum(TABLE_GROUP_KEYS, { error: `must be a list of ${TABLE_GROUP_KEYS.join(', ')}` })))
      .optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_ROWS).optional(),
    cursor: z.string().max(200).optional(),
    format: z.enum(['json', 'csv', 'arrow', 'parquet']).optional(),
  })
  .strict();

export type UsageQueryInput = z.output<typeof usageQuerySchema>;

export function uniqueGroupKeys(keys: readonly TableGroupKey[] | undefined): TableGroupKey[] {
  return TABLE_GROUP_KEYS.filter((k) => keys?.includes(k));
}
