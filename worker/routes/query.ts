/**
 * POST /v1/query: the caller's read-only SQL over its own data. The body names the SQL and, optionally, the range
 * of WABA-local days (default the last twelve months) and the WABAs / numbers to include; the sandbox then
 * holds only those rows, in the views units, ledger, usage_daily, usage_monthly, charges and phone_numbers.
 * Answers JSON (default), CSV, Arrow or Parquet like every table.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireManager, requireScope } from '../auth/access.js';
import { visibleScope } from '../auth/visible-scope.js';
import type { AppEnv } from '../env.js';
import { ForbiddenError, ServiceUnavailableError, ValidationError } from '../errors.js';
import { monthOrDayParam, resolveDayRange } from '../http/day-range.js';
import { idParam } from '../http/params.js';
import { pickFormat, respondTable } from '../http/table-response.js';
import { parseJsonBody } from '../http/validate.js';

export const QUERY_MAX_SQL_CHARS = 100_000;

const idList = z.union([idParam, z.array(idParam).max(1000)]).transform((v) => (Array.isArray(v) ? v : [v]));

const queryBodySchema = z
  .object({
    sql: z.string().trim().min(1, 'must not be empty').max(QUERY_MAX_SQL_CHARS),
    from: monthOrDayParam.optional(),
    to: monthOrDayParam.optional(),
    waba_id: idList.optional(),
    phone_number_id: idList.optional(),
  })
  .strict();

export const queryRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const { db, clock, host } = c.var.deps;
  const p = c.var.principal;
  requireManager(p);
  requireScope(p, 'read-usage');
  if (p.kind === 'admin') throw new ForbiddenError('Queries run over one partner’s data: use its API key.');
  const body = await parseJsonBody(c, queryBodySchema);
  const format = pickFormat(c);
  const range = resolveDayRange(body.from, body.to, clock.now());
  if (range.issues.length > 0) throw new ValidationError('The request body is not valid.', range.issues);
  if (!host.tenantQuery) throw new ServiceUnavailableError('Queries need the Node host.');
  const phones = await visibleScope(db, p, { wabaIds: body.waba_id, phoneNumberIds: body.phone_number_id });
  const answer = await host.tenantQuery({
    phoneNumberIds: phones.map((r) => r.phone_number_id),
    fromDay: range.fromDay,
    toDay: range.toDay,
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
});
