/**
 * The shared edge of GET /v1/usage and GET /v1/charges: scope check, query validation, tenant filtering via
 * visiblePhoneNumbers, then the one query builder and content negotiation (JSON, CSV, Arrow, Parquet).
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { requireScope, visiblePhoneNumbers } from '../auth/access.js';
import type { Row } from '../db/db.js';
import type { AppEnv } from '../env.js';
import { ValidationError, type InputIssue } from '../errors.js';
import { respondTable } from '../http/table-response.js';
import { issuesOf } from '../http/validate.js';
import { resolveRange, uniqueGroupKeys, usageQuerySchema } from '../usage/query-schema.js';
import { buildUsageQuery, COUNT_COLUMNS, type Measure } from '../usage/usage-query.js';

/** Answers a usage or charges table for the request's filters. */
export async function answerUsageTable(
  c: Context<AppEnv>,
  measure: Measure,
  extraMeta: (now: Date) => Record<string, unknown> = () => ({}),
): Promise<Response> {
  const { db, clock, host } = c.var.deps;
  requireScope(c.var.principal, 'read-usage');
  const parsed = usageQuerySchema.safeParse(queryObject(c));
  if (!parsed.success)
    throw new ValidationError('The request query is not valid.', queryIssues(parsed.error));
  const input = parsed.data;
  const now = clock.now();
  const range = resolveRange(input, now);
  if (range.issues.length > 0) throw new ValidationError('The request query is not valid.', range.issues);

  const phones = await visiblePhoneNumbers(db, c.var.principal, {
    wabaId: input.waba_id,
    phoneNumberIds: input.phone_number_id,
  });
  const groupBy = uniqueGroupKeys(input.group_by);
  const granularity = input.granularity ?? 'month';
  const { sql, params } = buildUsageQuery({
    phoneNumberIds: phones.map((p) => p.phone_number_id),
    from: range.from,
    to: range.to,
    granularity,
    groupBy,
    measure,
  });
  const result = await db.columns(sql, params);
  // BIGINT arrives as a string; the contract wants integers (counts stay far below 2^53).
  const counts = COUNT_COLUMNS[measure];
  const rows: Row[] = result.rows.map((r) => {
    const out: Row = { ...r };
    for (const k of counts) out[k] = Number(r[k]);
    return out;
  });
  const toParquet = host.toParquet;
  return respondTable(
    c,
    { ...result, rows },
    {
      filename: `${measure}_${range.from.slice(0, 7)}_${range.to.slice(0, 7)}`,
      meta: {
        granularity,
        from: range.from.slice(0, 7),
        to: range.to.slice(0, 7),
        group_by: groupBy,
        ...extraMeta(now),
      },
      parquet: toParquet ? (metadata) => toParquet.call(host, sql, params, metadata) : undefined,
    },
  );
}

/** zod issues as problem issues; an unknown parameter is named as the column it is about. */
function queryIssues(error: z.ZodError): InputIssue[] {
  return error.issues.flatMap((i): InputIssue[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ column: k, reason: 'is not a known parameter' }))
      : issuesOf(new z.ZodError([i])),
  );
}

/** The query string as zod sees it: one value → string, a repeated parameter → string[]. */
function queryObject(c: Context<AppEnv>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(c.req.queries())) out[k] = v.length === 1 ? (v[0] ?? '') : v;
  return out;
}
