/**
 * Raw exports of the caller's own data: GET /v1/exports/units and /v1/exports/ledger stream billing units or
 * ledger movements of a range of WABA-local days as Parquet (default) or CSV, scoped exactly like usage (the
 * numbers the caller can see, narrowed by waba_id / phone_number_id). POST /v1/exports/lake writes the same as
 * Hive-partitioned files (month=YYYY-MM) into the partner's folder of the lake.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { partnerOf, requireManager, requireScope } from '../auth/access.js';
import { visibleScope } from '../auth/visible-scope.js';
import type { AppEnv } from '../env.js';
import { ForbiddenError, NotAcceptableError, ServiceUnavailableError, ValidationError } from '../errors.js';
import { LAKE_TABLES, type LakeTable } from '../exports/lake-types.js';
import { tenantTableQuery } from '../exports/tenant-tables.js';
import { monthOrDayParam, resolveDayRange } from '../http/day-range.js';
import { csvList, idParam } from '../http/params.js';
import { parseQuery } from '../http/query-string.js';
import { metadataHeaders, tableMetadata } from '../http/table-meta.js';
import { PARQUET } from '../http/table-response.js';
import { parseJsonBody } from '../http/validate.js';

const ids = csvList.pipe(z.array(idParam).max(1000, 'at most 1000 ids'));

const exportQuerySchema = z
  .object({
    waba_id: ids.optional(),
    phone_number_id: ids.optional(),
    from: monthOrDayParam.optional(),
    to: monthOrDayParam.optional(),
    format: z.enum(['csv', 'parquet'], { error: 'must be csv or parquet' }).optional(),
  })
  .strict();

const lakeBodySchema = z
  .object({
    from: monthOrDayParam,
    to: monthOrDayParam,
    tables: z
      .array(z.enum(LAKE_TABLES))
      .min(1)
      .default([...LAKE_TABLES]),
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

async function streamTable(c: Context<AppEnv>, table: LakeTable): Promise<Response> {
  const { db, clock, host } = c.var.deps;
  requireScope(c.var.principal, 'read-usage');
  if (table === 'ledger') requireScope(c.var.principal, 'read-balance');
  const input = parseQuery(c, exportQuerySchema);
  const format = exportFormat(c, input.format);
  const range = resolveDayRange(input.from, input.to, clock.now());
  if (range.issues.length > 0) throw new ValidationError('The request query is not valid.', range.issues);
  if (!host.exportStream) throw new ServiceUnavailableError('Exports need the Node host.');
  const phones = await visibleScope(db, c.var.principal, {
    wabaIds: input.waba_id,
    phoneNumberIds: input.phone_number_id,
  });
  const { sql, params } = tenantTableQuery(table, {
    phoneNumberIds: phones.map((p) => p.phone_number_id),
    fromDay: range.fromDay,
    toDay: range.toDay,
  });
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

export const exportRoutes = new Hono<AppEnv>()
  .get('/units', (c) => streamTable(c, 'units'))
  .get('/ledger', (c) => streamTable(c, 'ledger'))
  .post('/lake', async (c) => {
    const { db, host, config, clock } = c.var.deps;
    const p = c.var.principal;
    requireManager(p);
    const partner = partnerOf(p);
    if (!partner) throw new ForbiddenError('Lake exports are per partner: use the partner API key.');
    const body = await parseJsonBody(c, lakeBodySchema);
    const range = resolveDayRange(body.from, body.to, clock.now());
    if (range.issues.length > 0) throw new ValidationError('The request body is not valid.', range.issues);
    if (!host.writeLake) throw new ServiceUnavailableError('Lake exports need the Node host.');
    const phones = await visibleScope(db, p, { wabaIds: body.waba_id, phoneNumberIds: body.phone_number_id });
    // Partner ids may hold dots; escaped, none can climb out of the lake folder.
    const folder = `partner_id=${encodeURIComponent(partner).replace(/\./g, '%2E')}`;
    const files = await host.writeLake({
      phoneNumberIds: phones.map((r) => r.phone_number_id),
      fromDay: range.fromDay,
      toDay: range.toDay,
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
  });
