/** Paths of the usage area: All / Free / Paid usage and approximate charges, JSON / CSV / Arrow / Parquet. */
import { errors, ok, queryParam } from './helpers.js';
import { dataThroughSchema, unpricedUnitsSchema } from './honest-fields.js';

const RANGE = '^\\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?$';

const filters = [
  queryParam(
    'waba_id',
    'One or many WABAs, comma-separated or repeated (404 for any the caller cannot see)',
    {
      type: 'array',
      items: { type: 'string' },
    },
  ),
  queryParam(
    'phone_number_id',
    'One or many numbers, comma-separated or repeated; default: every number the caller can see',
    { type: 'array', items: { type: 'string' } },
  ),
  queryParam(
    'from',
    'First month YYYY-MM or day YYYY-MM-DD in the `tz` calendar (default: 11 months before `to`)',
    {
      type: 'string',
      pattern: RANGE,
    },
  ),
  queryParam('to', 'Last month (to its last day) or day, inclusive (default: the current UTC month)', {
    type: 'string',
    pattern: RANGE,
  }),
  queryParam('granularity', 'Bucket size, in the `tz` calendar (weeks start on Monday)', {
    type: 'string',
    enum: ['hour', 'day', 'week', 'month', 'quarter'],
    default: 'month',
  }),
  queryParam('tz', 'waba (each WABA’s own zone), UTC or an IANA zone', { type: 'string', default: 'waba' }),
  queryParam('group_by', 'Row keys besides period and unit (comma-separated or repeated)', {
    type: 'array',
    items: {
      type: 'string',
      enum: [
        'phone_number_id',
        'category',
        'country',
        'pricing_type',
        'waba_id',
        'market',
        'template_name',
        'direction',
      ],
    },
  }),
  queryParam('limit', 'Rows per page (1–100000); the answer then carries next_cursor', {
    type: 'integer',
    minimum: 1,
    maximum: 100000,
  }),
  queryParam('cursor', 'next_cursor of the previous page (same filters)'),
  queryParam('format', 'Overrides the Accept header', {
    type: 'string',
    enum: ['json', 'csv', 'arrow', 'parquet'],
  }),
];

const keyProps = {
  period: {
    type: 'string',
    example: '2024-01',
    description:
      "JSON: 'YYYY-MM' by month, 'YYYY-Qn' by quarter, 'YYYY-MM-DD' by day or week, 'YYYY-MM-DDTHH:00' by hour; CSV/Arrow/Parquet: DATE (TIMESTAMP by hour)",
  },
  phone_number_id: { type: 'string' },
  category: { type: 'string', example: 'marketing' },
  country: { type: 'string', nullable: true, example: 'DE' },
  pricing_type: {
    type: 'string',
    enum: ['regular', 'free_tier', 'free_entry_point', 'free_customer_service'],
  },
  waba_id: { type: 'string' },
  market: { type: 'string', nullable: true },
  template_name: { type: 'string', nullable: true },
  direction: { type: 'string', nullable: true },
  unit: { type: 'string', enum: ['conversation', 'message'] },
};

const envelope = (rowProps: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: {
    granularity: { type: 'string', enum: ['hour', 'day', 'week', 'month', 'quarter'] },
    tz: { type: 'string', description: 'present when the request named a zone' },
    next_cursor: { type: 'string', nullable: true, description: 'present when the request set limit' },
    from: { type: 'string', example: '2024-01' },
    to: { type: 'string', example: '2024-12' },
    group_by: { type: 'array', items: { type: 'string' } },
    data_through: dataThroughSchema,
    ...extra,
    rows: { type: 'array', items: { type: 'object', properties: { ...keyProps, ...rowProps } } },
  },
});

const tabular = (schema: Record<string, unknown>) => ({
  '200': {
    description: 'Rows sorted by period, then the group keys, unit (and currency)',
    content: {
      'application/json': { schema },
      'text/csv': { schema: { type: 'string' } },
      'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
      'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
    },
  },
  ...errors(400, 401, 403, 404, 406),
});

export const usagePaths: Record<string, unknown> = {
  '/v1/usage': {
    get: {
      summary: 'All / Free / Paid units per local month or day (scope read-usage)',
      description:
        'Counted units only (failed messages are not counted). Months and days are in each WABA time zone; a unit counts in the month it opened. Free = free tier, free entry point or free customer service (DOMAIN.md §9.4).',
      parameters: filters,
      responses: tabular(
        envelope({
          all: { type: 'integer' },
          free: { type: 'integer' },
          paid: { type: 'integer' },
        }),
      ),
    },
  },
  '/v1/charges': {
    get: {
      summary: 'Approximate charges of paid units (estimate; the invoice is authoritative)',
      description:
        'Same filters and grouping as /v1/usage. Amounts are exact decimal strings in the row currency (each WABA currency; currency is always a key).',
      parameters: filters,
      responses: tabular(
        envelope(
          {
            currency: { type: 'string', example: 'USD' },
            paid: { type: 'integer' },
            amount: {
              type: 'string',
              nullable: true,
              example: '7.500000',
              description: 'Σ of the priced paid units; null when every paid unit of the row is unpriced',
            },
          },
          {
            estimate: { type: 'boolean', enum: [true] },
            as_of: { type: 'string', format: 'date-time' },
            note: { type: 'string' },
            unpriced_units: unpricedUnitsSchema,
          },
        ),
      ),
    },
  },
  '/v1/charges/unpriced': {
    get: {
      summary:
        'Every (WABA, local month) holding paid units nothing priced, latest first (admin: every partner or ' +
        'partner_id; a partner key: its own; embed tokens 403)',
      parameters: [
        queryParam('partner_id', 'Admin only'),
        queryParam('limit', 'WABA months, 1..1000, default 100', { type: 'integer' }),
      ],
      responses: {
        ...ok('Unpriced months', {
          type: 'object',
          properties: {
            months: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  partner_id: { type: 'string' },
                  waba_id: { type: 'string' },
                  month: { type: 'string', example: '2026-11' },
                  ...unpricedUnitsSchema.properties,
                },
              },
            },
          },
        }),
        ...errors(400, 401, 403),
      },
    },
  },
};
