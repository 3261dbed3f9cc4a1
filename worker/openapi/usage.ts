/** Paths of the usage area: All / Free / Paid usage and approximate charges, JSON / CSV / Arrow / Parquet. */
import { errors, ok, queryParam } from './helpers.js';
import { dataThroughSchema, unpricedUnitsSchema } from './honest-fields.js';

const filters = [
  queryParam('waba_id', 'Only this WABA (404 if the caller cannot see it)'),
  queryParam(
    'phone_number_id',
    'One or many numbers, comma-separated or repeated; default: every number the caller can see',
    { type: 'array', items: { type: 'string' } },
  ),
  queryParam('from', 'First month, YYYY-MM, in each WABA time zone (default: 11 months before `to`)', {
    type: 'string',
    pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
  }),
  queryParam('to', 'Last month, inclusive, YYYY-MM (default: the current UTC month)', {
    type: 'string',
    pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
  }),
  queryParam('granularity', 'Bucket size: local months or local days', {
    type: 'string',
    enum: ['month', 'day'],
    default: 'month',
  }),
  queryParam('group_by', 'Row keys besides period and unit (comma-separated or repeated)', {
    type: 'array',
    items: { type: 'string', enum: ['phone_number_id', 'category', 'country', 'pricing_type'] },
  }),
  queryParam('format', 'Overrides the Accept header', {
    type: 'string',
    enum: ['json', 'csv', 'arrow', 'parquet'],
  }),
];

const keyProps = {
  period: { type: 'string', example: '2024-01', description: "'YYYY-MM' or, by day, 'YYYY-MM-DD'" },
  phone_number_id: { type: 'string' },
  category: { type: 'string', example: 'marketing' },
  country: { type: 'string', nullable: true, example: 'DE' },
  pricing_type: {
    type: 'string',
    enum: ['regular', 'free_tier', 'free_entry_point', 'free_customer_service'],
  },
  unit: { type: 'string', enum: ['conversation', 'message'] },
};

const envelope = (rowProps: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: {
    granularity: { type: 'string', enum: ['month', 'day'] },
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
