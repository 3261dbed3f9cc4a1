/**
 * Raw exports of the caller's own data: GET /v1/exports/{units,ledger,usage_daily,usage_monthly,charges} stream
 * billing units, ledger movements or the rollups of a range of WABA-local days as Parquet (default) or CSV,
 * scoped exactly like usage (the numbers the caller can see, narrowed by waba_id / phone_number_id). POST
 * /v1/exports/lake writes the same as Hive-partitioned files (month=YYYY-MM) into the partner's folder of the
 * lake. Every replica answers all but the units from the same rows (tenant-scope.ts); the units, elsewhere than
 * on the usage source, are 409 not_usage_source.
 */
import type { RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { partnerOf } from '../auth/access.js';
import { visibleScope } from '../auth/visible-scope.js';
import type { AppEnv } from '../app-deps.js';
import { ForbiddenError, NotAcceptableError, ServiceUnavailableError, ValidationError } from '../errors.js';
import { LAKE_DEFAULT_TABLES, LAKE_TABLES, type LakeTable } from '../exports/lake-types.js';
import { tenantScope } from '../exports/tenant-scope.js';
import { tenantTableQuery } from '../exports/tenant-tables.js';
import { monthOrDayParam, resolveDayRange } from '../http/day-range.js';
import { csvList, idParam } from '../http/params.js';
import { metadataHeaders, tableMetadata } from '../http/table-meta.js';
import { PARQUET } from '../http/table-response.js';
import { defineRoute, routeApp } from './define-route.js';
import { answers, CSV_ANSWER, errors, jsonBody, ok, PARQUET_ANSWER } from './doc-schemas.js';
import { manager, scope } from './guards.js';

const ids = csvList.pipe(z.array(idParam).max(1000, 'at most 1000 ids'));
const idList = { type: 'array', items: { type: 'string' } };

const exportQuerySchema = z
  .object({
    from: monthOrDayParam.optional().meta({
      description:
        'First WABA-local day, YYYY-MM-DD, or month YYYY-MM (its first day); default 11 months before `to`',
    }),
    to: monthOrDayParam.optional().meta({
      description:
        'Last WABA-local day (inclusive), YYYY-MM-DD, or month YYYY-MM (its last day); default the current UTC month',
    }),
    waba_id: ids.optional().meta({
      description: 'One or many WABAs, comma-separated or repeated (404 for one the caller cannot see)',
      ...idList,
    }),
    phone_number_id: ids
      .optional()
      .meta({ description: 'One or many numbers; default every number the caller can see', ...idList }),
    format: z
      .enum(['csv', 'parquet'], { error: 'must be csv or parquet' })
      .optional()
      .meta({ description: 'Overrides the Accept header (default Parquet)' }),
  })
  .strict();
type ExportQuery = z.output<typeof exportQuerySchema>;

const lakeBodySchema = z
  .object({
    from: monthOrDayParam,
    to: monthOrDayParam,
    tables: z
      .array(z.enum(LAKE_TABLES))
      .min(1)
      .default([...LAKE_DEFAULT_TABLES]),
    format: z.enum(['csv', 'parquet']).default('parquet'),
    waba_id: z.array(idParam).max(1000).optional(),
    phone_number_id: z.array(idParam).max(1000).optional(),
  })
  .strict();

function exportFormat(c: Context, q: string | undefined): 'csv' | 'parquet' {
  if (q) return q as 'csv' | 'parquet';
  const accept = (c.req.header('accept') ?? '*/*').toLowerCase();
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes(PARQUET) || accept.includes('*/*') || accept.includes('application/*'))
    return 'parquet';
  throw new NotAcceptableError(['text/csv', PARQUET]);
}

async function streamTable(c: Context<AppEnv>, table: LakeTable, input: ExportQuery): Promise<Response> {
  const deps = c.var.deps;
  const { db, clock, host } = deps;
  const format = exportFormat(c, input.format);
  const range = resolveDayRange(input.from, input.to, clock.now());
  if (range.issues.length > 0) throw new ValidationError('The request query is not valid.', range.issues);
  if (!host.exportStream) throw new ServiceUnavailableError('Exports need the Node host.');
  const phones = await visibleScope(c.var.deps.money, c.var.principal, {
    wabaIds: input.waba_id,
    phoneNumberIds: input.phone_number_id,
  });
  const scope = await tenantScope(
    deps,
    { phoneNumberIds: phones.map((p) => p.phone_number_id), fromDay: range.fromDay, toDay: range.toDay },
    [table],
  );
  const { sql, params } = tenantTableQuery(table, scope);
  // The column types travel with the file (X-Table-Schema), so a CSV reader need not guess them.
  const columns = await db.columns(`SELECT * FROM (${sql}) LIMIT 0`, params);
  const metadata = tableMetadata(
    {
      table,
      from: range.fromDay,
      to: range.toDay,
      as_of: clock.now().toISOString(),
      ...(table === 'units' ? { note: UNITS_NOTE } : {}),
    },
    columns,
  );
  const body = await host.exportStream(sql, params, format, metadata);
  const name = `${table}_${range.fromDay}_${range.toDay}.${format}`;
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : PARQUET,
      'Content-Disposition': `attachment; filename="${name}"`,
      Vary: 'Accept',
      ...metadataHeaders(metadata),
    },
  });
}

const UNITS_NOTE =
  'amount is the approximate charge of a paid unit from the rate cards in force; the invoice is authoritative.';

const file = (description: string) =>
  answers(
    `${description} Metadata (table, from, to, as_of, note) in X-Table-* headers and, for Parquet, in its key-value metadata.`,
    { ...PARQUET_ANSWER, ...CSV_ANSWER },
    [400, 401, 403, 404, 406, 409],
  );

/** Lake exports are per partner: the admin token, which belongs to none, is refused before the body is read. */
const partnerOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!partnerOf(c.var.principal))
    throw new ForbiddenError('Lake exports are per partner: use the partner API key.');
  await next();
};

const lakeAnswer = z.object({
  folder: z.string(),
  from: z.iso.date(),
  to: z.iso.date(),
  files: z.array(z.object({ table: z.string(), month: z.string(), path: z.string(), rows: z.int() })),
});

export const exportRoutes = routeApp();

// The two streams differ only in what they hold and the scopes that may read it.
const streams: Record<LakeTable, Pick<RouteConfig, 'summary' | 'description' | 'middleware'>> = {
  units: {
    summary: 'Stream the caller’s billing units of a range of WABA-local days (scope read-usage)',
    description:
      'One row per unit with its derived columns (regime, pricing_type, is_counted/is_free/is_paid, local_day, local_month) and its approximate charge (rate, amount DECIMAL(18,6), currency). Scoped like /v1/usage. Only the usage source holds units: elsewhere 409 not_usage_source naming it.',
    middleware: [scope('read-usage')],
  },
  ledger: {
    summary:
      'Stream the caller’s ledger movements of a range of WABA-local days (scopes read-usage and read-balance)',
    description: 'Days are those on which each movement was requested, in its WABA’s zone (local_date).',
    middleware: [scope('read-usage'), scope('read-balance')],
  },
  usage_daily: {
    summary: 'Stream the caller’s daily usage rollup of a range of WABA-local days (scope read-usage)',
    description:
      'One row per number, local day, category, country, market, pricing type, unit and currency: counts (all, free, paid, unpriced) and the approximate charge. Answered on every replica.',
    middleware: [scope('read-usage')],
  },
  usage_monthly: {
    summary:
      'Stream the caller’s monthly usage rollup of the WABA-local months of a range (scope read-usage)',
    description: 'The daily rollup summed by local month. Answered on every replica.',
    middleware: [scope('read-usage')],
  },
  charges: {
    summary: 'Stream the caller’s charges of a range of WABA-local days (scope read-usage)',
    description:
      'Paid and unpriced units and the approximate amount per number, day, category, market, unit and currency (amount null when nothing in the row was priced). Answered on every replica.',
    middleware: [scope('read-usage')],
  },
};

for (const table of LAKE_TABLES)
  defineRoute(
    exportRoutes,
    {
      method: 'get',
      path: `/${table}`,
      ...streams[table],
      request: { query: exportQuerySchema },
      responses: file('Parquet (zstd) or CSV with a header line.'),
    },
    (c) => streamTable(c, table, c.req.valid('query')),
  );

defineRoute(
  exportRoutes,
  {
    method: 'post',
    path: '/lake',
    summary:
      'Write units, ledger movements (default) or the rollups as Hive-partitioned files in the lake folder (partner API key)',
    description:
      'Files go to LAKE_DIR/partner_id=<id>/<table>/month=YYYY-MM/data.<format>, one per WABA-local month, each replaced atomically. tables: one or more of units, ledger, usage_daily, usage_monthly, charges (default units, ledger); units only on the usage source (409 not_usage_source elsewhere, before any file is written).',
    middleware: [manager, partnerOnly],
    request: { body: jsonBody(lakeBodySchema) },
    responses: { ...ok('The files written', lakeAnswer), ...errors(400, 401, 403, 404, 409) },
  },
  async (c) => {
    const deps = c.var.deps;
    const { money, host, config, clock } = deps;
    const p = c.var.principal;
    const partner = partnerOf(p);
    if (!partner) throw new ForbiddenError('Lake exports are per partner: use the partner API key.');
    const body = c.req.valid('json');
    const range = resolveDayRange(body.from, body.to, clock.now());
    if (range.issues.length > 0) throw new ValidationError('The request body is not valid.', range.issues);
    if (!host.writeLake) throw new ServiceUnavailableError('Lake exports need the Node host.');
    const phones = await visibleScope(money, p, {
      wabaIds: body.waba_id,
      phoneNumberIds: body.phone_number_id,
    });
    // Partner ids may hold dots; escaped, none can climb out of the lake folder.
    const folder = `partner_id=${encodeURIComponent(partner).replace(/\./g, '%2E')}`;
    // Refused as a whole (no file written) when a table needs the units this replica does not hold.
    const scope = await tenantScope(
      deps,
      { phoneNumberIds: phones.map((r) => r.phone_number_id), fromDay: range.fromDay, toDay: range.toDay },
      body.tables,
    );
    const files = await host.writeLake({
      ...scope,
      tables: body.tables,
      format: body.format,
      outDir: `${config.lakeDir}/${folder}`,
    });
    return c.json({
      folder,
      from: range.fromDay,
      to: range.toDay,
      files: files.map((f) => ({ ...f, path: `${folder}/${f.path}` })),
    });
  },
);
