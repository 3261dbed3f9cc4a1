/**
 * The query string of GET /v1/usage and GET /v1/charges, validated with zod at the edge. Unknown parameters
 * are refused too, so a typo (grop_by) is a 400 naming it rather than a silently ignored filter.
 */
import { z } from 'zod';
import { csvList, idParam, monthParam } from '../http/params.js';
import { GROUP_KEYS, type GroupKey } from './usage-query.js';

export const usageQuerySchema = z
  .object({
    waba_id: idParam.optional(),
    phone_number_id: csvList.pipe(z.array(idParam).max(1000, 'at most 1000 phone numbers')).optional(),
    from: monthParam.optional(),
    to: monthParam.optional(),
    granularity: z.enum(['month', 'day'], { error: 'must be month or day' }).optional(),
    group_by: csvList
      .pipe(z.array(z.enum(GROUP_KEYS, { error: `must be a list of ${GROUP_KEYS.join(', ')}` })))
      .optional(),
    format: z.enum(['json', 'csv', 'arrow', 'parquet']).optional(),
  })
  .strict();

export type UsageQueryInput = z.output<typeof usageQuerySchema>;

/** Months as 'YYYY-MM-01' plus the resolved defaults (last 12 months to the clock's current UTC month). */
export function resolveRange(
  input: UsageQueryInput,
  now: Date,
): { from: string; to: string; issues: { column: string; reason: string }[] } {
  const current = `${now.toISOString().slice(0, 7)}`;
  const to = input.to ?? (input.from && input.from > current ? input.from : current);
  const from = input.from ?? addMonths(to, -11);
  const issues: { column: string; reason: string }[] = [];
  if (from > to) issues.push({ column: 'from', reason: 'must not be after to' });
  return { from: `${from}-01`, to: `${to}-01`, issues };
}

export function uniqueGroupKeys(keys: readonly GroupKey[] | undefined): GroupKey[] {
  return GROUP_KEYS.filter((k) => keys?.includes(k));
}

function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + delta;
  return `${String(Math.floor(idx / 12)).padStart(4, '0')}-${String((idx % 12) + 1).padStart(2, '0')}`;
}
