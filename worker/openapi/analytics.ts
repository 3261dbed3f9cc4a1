/** Paths of the analyst area: raw exports (streamed files and the lake) and read-only SQL. */
import { errors, jsonBody, ok, queryParam } from './helpers.js';

const RANGE = '^\\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?$';

const rangeParams = [
  queryParam(
    'from',
    'First WABA-local day, YYYY-MM-DD, or month YYYY-MM (its first day); default 11 months before `to`',
    {
      type: 'string',
      pattern: RANGE,
    },
  ),
  queryParam(
    'to',
    'Last WABA-local day (inclusive), YYYY-MM-DD, or month YYYY-MM (its last day); default the current UTC month',
    {
      type: 'string',
      pattern: RANGE,
    },
  ),
  queryParam(
    'waba_id',
    'One or many WABAs, comma-separated or repeated (404 for any the caller cannot see)',
    {
      type: 'array',
      items: { type: 'string' },
    },
  ),
  queryParam('phone_number_id', 'One or many numbers; default every number the caller can see', {
    type: 'array',
    items: { type: 'string' },
  }),
  queryParam('format', 'Overrides the Accept header (default Parquet)', {
    type: 'string',
    enum: ['csv', 'parquet'],
  }),
];

const file = (description: string) => ({
  '200': {
    description: `${description} Metadata (table, from, to, as_of, note) in X-Table-* headers and, for Parquet, in its key-value metadata.`,
    content: {
      'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
      'text/csv': { schema: { type: 'string' } },
    },
  },
  ...errors(400, 401, 403, 404, 406),
});

const tableAnswer = {
  '200': {
    description:
      'The rows, typed alike in every format (DECIMAL(18,6) money, DATE days, TIMESTAMP WITH TIME ZONE instants, BIGINT counts). JSON: { from, to, as_of, truncated, row_limit, rows } with BIGINT and DECIMAL as strings; CSV and Arrow carry the same fields in X-Table-* headers (plus X-Table-Schema), Arrow also in its schema metadata, Parquet in its key-value metadata.',
    content: {
      'application/json': { schema: { type: 'object' } },
      'text/csv': { schema: { type: 'string' } },
      'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
      'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
    },
  },
  ...errors(400, 401, 403, 404, 406, 422, 429),
};

export const analyticsPaths: Record<string, unknown> = {
  '/v1/exports/units': {
    get: {
      summary: 'Stream the caller’s billing units of a range of WABA-local days (scope read-usage)',
      description:
        'One row per unit with its derived columns (regime, pricing_type, is_counted/is_free/is_paid, local_day, local_month) and its approximate charge (rate, amount DECIMAL(18,6), currency). Scoped like /v1/usage.',
      parameters: rangeParams,
      responses: file('Parquet (zstd) or CSV with a header line.'),
    },
  },
  '/v1/exports/ledger': {
    get: {
      summary:
        'Stream the caller’s ledger movements of a range of WABA-local days (scopes read-usage and read-balance)',
      description: 'Days are those on which each movement was requested, in its WABA’s zone (local_date).',
      parameters: rangeParams,
      responses: file('Parquet (zstd) or CSV with a header line.'),
    },
  },
  '/v1/exports/lake': {
    post: {
      summary:
        'Write units and ledger movements as Hive-partitioned files in the lake folder (partner API key)',
      description:
        'Files go to LAKE_DIR/partner_id=<id>/<table>/month=YYYY-MM/data.<format>, one per WABA-local month, each replaced atomically.',
      requestBody: jsonBody({
        type: 'object',
        required: ['from', 'to'],
        additionalProperties: false,
        properties: {
          from: { type: 'string', pattern: RANGE },
          to: { type: 'string', pattern: RANGE },
          tables: { type: 'array', items: { type: 'string', enum: ['units', 'ledger'] } },
          format: { type: 'string', enum: ['parquet', 'csv'], default: 'parquet' },
          waba_id: { type: 'array', items: { type: 'string' } },
          phone_number_id: { type: 'array', items: { type: 'string' } },
        },
      }),
      responses: {
        ...ok('The files written', {
          type: 'object',
          properties: {
            folder: { type: 'string' },
            from: { type: 'string', format: 'date' },
            to: { type: 'string', format: 'date' },
            files: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  table: { type: 'string' },
                  month: { type: 'string' },
                  path: { type: 'string' },
                  rows: { type: 'integer' },
                },
              },
            },
          },
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  },
  '/v1/query': {
    post: {
      summary: 'Read-only SQL over the caller’s own data (partner API key)',
      description:
        'One SELECT over the views units, ledger, usage_daily, usage_monthly, charges and phone_numbers, holding only the caller’s numbers and the WABA-local days from…to (default the last twelve months). Runs in an isolated in-memory DuckDB without file or network access and with a locked configuration; anything else (COPY, ATTACH, SET, PRAGMA, CALL, INSTALL/LOAD, DDL, file functions) is 400 query_not_allowed, bad SQL 400 query_invalid, a query over the time or memory limit 422 query_limit_exceeded, more than the service runs at once 429 with Retry-After. Rows beyond QUERY_MAX_ROWS are cut and truncated is true. Answers JSON, CSV, Arrow or Parquet (Accept or ?format=).',
      parameters: [
        queryParam('format', 'Overrides the Accept header', {
          type: 'string',
          enum: ['json', 'csv', 'arrow', 'parquet'],
        }),
      ],
      requestBody: jsonBody({
        type: 'object',
        required: ['sql'],
        additionalProperties: false,
        properties: {
          sql: {
            type: 'string',
            maxLength: 100000,
            example: 'SELECT local_day, sum(amount) FROM units GROUP BY 1 ORDER BY 1',
          },
          from: { type: 'string', pattern: RANGE },
          to: { type: 'string', pattern: RANGE },
          waba_id: { type: 'array', items: { type: 'string' } },
          phone_number_id: { type: 'array', items: { type: 'string' } },
        },
      }),
      responses: tableAnswer,
    },
  },
};
