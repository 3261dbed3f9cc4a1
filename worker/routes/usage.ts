/** GET /v1/usage: All / Free / Paid per period and group, from the rollups (DOMAIN.md §9.4 item 5). */
import { z } from 'zod';
import { usageQuerySchema } from '../usage/query-schema.js';
import { TABLE_GROUP_KEYS } from '../usage/table-query.js';
import { defineRoute, routeApp } from './define-route.js';
import { dataThroughSchema, tabular } from './doc-schemas.js';
import { scope } from './guards.js';
import { answerUsageTable } from './usage-table.js';

const q = usageQuerySchema.shape;
const idList = { type: 'array', items: { type: 'string' } };

/** The usage/charges query string as validated (query-schema.ts), with what the document says of each. */
export const usageQuery = usageQuerySchema.extend({
  waba_id: q.waba_id.meta({
    description: 'One or many WABAs, comma-separated or repeated (404 for one the caller cannot see)',
    ...idList,
  }),
  phone_number_id: q.phone_number_id.meta({
    description: 'One or many numbers, comma-separated or repeated; default: every number the caller can see',
    ...idList,
  }),
  from: q.from.meta({
    description:
      'First month YYYY-MM or day YYYY-MM-DD in the `tz` calendar (default: 11 months before `to`)',
  }),
  to: q.to.meta({
    description: 'Last month (to its last day) or day, inclusive (default: the current UTC month)',
  }),
  granularity: q.granularity.meta({
    description: 'Bucket size, in the `tz` calendar (weeks start on Monday)',
    default: 'month',
  }),
  tz: q.tz.meta({ description: 'waba (each WABA’s own zone), UTC or an IANA zone', default: 'waba' }),
  group_by: q.group_by.meta({
    description: 'Row keys besides period and unit (comma-separated or repeated)',
    type: 'array',
    items: { type: 'string', enum: [...TABLE_GROUP_KEYS] },
  }),
  limit: q.limit.meta({ description: 'Rows per page (1–100000); the answer then carries next_cursor' }),
  cursor: q.cursor.meta({ description: 'next_cursor of the previous page (same filters)' }),
  format: q.format.meta({ description: 'Overrides the Accept header' }),
});

const keyFields = {
  period: z.string().meta({
    example: '2024-01',
    description:
      "JSON: 'YYYY-MM' by month, 'YYYY-Qn' by quarter, 'YYYY-MM-DD' by day or week, 'YYYY-MM-DDTHH:00' by hour; CSV/Arrow/Parquet: DATE (TIMESTAMP by hour)",
  }),
  phone_number_id: z.string().optional(),
  category: z.string().optional().meta({ example: 'marketing' }),
  country: z.string().nullable().optional().meta({ example: 'DE' }),
  pricing_type: z.enum(['regular', 'free_tier', 'free_entry_point', 'free_customer_service']).optional(),
  waba_id: z.string().optional(),
  market: z.string().nullable().optional(),
  template_name: z.string().nullable().optional(),
  direction: z.string().nullable().optional(),
  unit: z.enum(['conversation', 'message']),
};

/** The JSON envelope of a usage or charges table. */
export function usageEnvelope(rowFields: z.ZodRawShape, extra: z.ZodRawShape = {}) {
  return z.object({
    granularity: q.granularity.unwrap(),
    tz: z.string().optional().meta({ description: 'present when the request named a zone' }),
    next_cursor: z.string().nullable().optional().meta({ description: 'present when the request set limit' }),
    from: z.string().meta({ example: '2024-01' }),
    to: z.string().meta({ example: '2024-12' }),
    group_by: z.array(z.string()),
    data_through: dataThroughSchema,
    ...extra,
    rows: z.array(z.object({ ...keyFields, ...rowFields })),
  });
}

export const TABLE_ORDER = 'Rows sorted by period, then the group keys, unit (and currency)';

export const usageRoutes = routeApp();

/**
 * GET / of a table shaped like usage (usage itself, charges): the same query, scope, formats and problems; only
 * the JSON envelope around the rows differs.
 */
export function usageTableRoute(
  summary: string,
  description: string,
  envelope: Parameters<typeof tabular>[1],
) {
  return {
    method: 'get' as const,
    path: '/' as const,
    summary,
    description,
    middleware: [scope('read-usage')],
    request: { query: usageQuery },
    responses: tabular(TABLE_ORDER, envelope, [400, 401, 403, 404, 406]),
  };
}

defineRoute(
  usageRoutes,
  usageTableRoute(
    'All / Free / Paid units per local month or day (scope read-usage)',
    'Counted units only (failed messages are not counted). Months and days are in each WABA time zone; a unit counts in the month it opened. Free = free tier, free entry point or free customer service (DOMAIN.md §9.4).',
    usageEnvelope({ all: z.int(), free: z.int(), paid: z.int() }),
  ),
  (c) => answerUsageTable(c, 'usage', c.req.valid('query')),
);
