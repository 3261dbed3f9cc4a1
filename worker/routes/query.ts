/**
 * POST /v1/query: the caller's read-only SQL over its own data. The body names the SQL and, optionally, the range
 * of WABA-local days (default the last twelve months) and the WABAs / numbers to include; the sandbox then
 * holds only those rows, in the views units, ledger, usage_daily, usage_monthly, charges and phone_numbers (units
 * only on the usage source: exports/tenant-scope.ts).
 * Answers JSON (default), CSV, Arrow or Parquet like every table.
 */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { visibleScope } from '../auth/visible-scope.js';
import type { AppEnv } from '../app-deps.js';
import { ForbiddenError, ServiceUnavailableError, ValidationError } from '../errors.js';
import { monthOrDayParam, resolveDayRange } from '../http/day-range.js';
import { idParam } from '../http/params.js';
import { pickFormat, respondTable } from '../http/table-response.js';
import { tenantScope } from '../exports/tenant-scope.js';
import { TENANT_TABLES } from '../exports/tenant-tables.js';
import { defineRoute, routeApp } from './define-route.js';
import { ARROW_ANSWER, answers, CSV_ANSWER, jsonBody, PARQUET_ANSWER } from './doc-schemas.js';
import { manager, scope } from './guards.js';

export const QUERY_MAX_SQL_CHARS = 100_000;

const idList = z.union([idParam, z.array(idParam).max(1000)]).transform((v) => (Array.isArray(v) ? v : [v]));

const queryBodySchema = z
  .object({
    sql: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(QUERY_MAX_SQL_CHARS)
      .meta({ example: 'SELECT local_day, sum(amount) FROM units GROUP BY 1 ORDER BY 1' }),
    from: monthOrDayParam.optional(),
    to: monthOrDayParam.optional(),
    waba_id: idList.optional(),
    phone_number_id: idList.optional(),
  })
  .strict();

/** Queries run over one partner's data: the admin token, which belongs to none, is refused. */
const partnerOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.var.principal.kind === 'admin')
    throw new ForbiddenError('Queries run over one partner’s data: use its API key.');
  await next();
};

const tableAnswer = answers(
  'The rows, typed alike in every format (DECIMAL(18,6) money, DATE days, TIMESTAMP WITH TIME ZONE instants, BIGINT counts). JSON: { from, to, as_of, truncated, row_limit, rows } with BIGINT and DECIMAL as strings; CSV and Arrow carry the same fields in X-Table-* headers (plus X-Table-Schema), Arrow also in its schema metadata, Parquet in its key-value metadata.',
  { 'application/json': { type: 'object' }, ...CSV_ANSWER, ...ARROW_ANSWER, ...PARQUET_ANSWER },
  [400, 401, 403, 404, 406, 409, 422, 429],
);

export const queryRoutes = routeApp();

defineRoute(
  queryRoutes,
  {
    method: 'post',
    path: '/',
    summary: 'Read-only SQL over the caller’s own data (partner API key)',
    description:
      'One SELECT over the views units, ledger, usage_daily, usage_monthly, charges and phone_numbers, holding only the caller’s numbers and the WABA-local days from…to (default the last twelve months). Every replica answers the same rows; units only on the usage source (a query naming them elsewhere is 409 not_usage_source, naming the source). Runs in an isolated in-memory DuckDB without file or network access and with a locked configuration; anything else (COPY, ATTACH, SET, PRAGMA, CALL, INSTALL/LOAD, DDL, file functions) is 400 query_not_allowed, bad SQL 400 query_invalid, a query over the time or memory limit 422 query_limit_exceeded, more than the service runs at once 429 with Retry-After. Rows beyond QUERY_MAX_ROWS are cut and truncated is true. Answers JSON, CSV, Arrow or Parquet (Accept or ?format=).',
    middleware: [manager, scope('read-usage'), partnerOnly],
    request: {
      query: z.object({
        // Checked with the Accept header (table-response.ts): an unknown format is 406, not 400.
        format: z
          .string()
          .optional()
          .meta({
            description: 'Overrides the Accept header',
            enum: ['json', 'csv', 'arrow', 'parquet'],
          }),
      }),
      body: jsonBody(queryBodySchema),
    },
    responses: tableAnswer,
  },
  async (c) => {
    const deps = c.var.deps;
    const { money, clock, host } = deps;
    const p = c.var.principal;
    const body = c.req.valid('json');
    const format = pickFormat(c);
    const range = resolveDayRange(body.from, body.to, clock.now());
    if (range.issues.length > 0) throw new ValidationError('The request body is not valid.', range.issues);
    if (!host.tenantQuery) throw new ServiceUnavailableError('Queries need the Node host.');
    const phones = await visibleScope(money, p, {
      wabaIds: body.waba_id,
      phoneNumberIds: body.phone_number_id,
    });
    // Two stores: the sandbox's ledger is what the money plane holds; off the usage source its rollup tables are
    // the published ones and it has no units (a query naming them is 409 not_usage_source).
    const scope = await tenantScope(
      deps,
      { phoneNumberIds: phones.map((r) => r.phone_number_id), fromDay: range.fromDay, toDay: range.toDay },
      TENANT_TABLES,
      { unitsOptional: true },
    );
    const answer = await host.tenantQuery({
      ...scope,
      sql: body.sql,
      parquet: format === 'parquet',
    });
    const toParquet = answer.toParquet;
    return respondTable(c, answer.result, {
      filename: 'query',
      meta: {
        from: range.fromDay,
        to: range.toDay,
        as_of: answer.asOf,
        truncated: answer.truncated,
        row_limit: answer.rowLimit,
      },
      ...(toParquet ? { parquet: (metadata) => toParquet(metadata) } : {}),
    });
  },
);
