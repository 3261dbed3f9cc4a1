/**
 * The number a `/v1/phone-numbers/{id}/…` route names, loaded for the caller: a number the caller may not see
 * answers 404 like one that does not exist, on every route of the tree alike.
 */
import type { Context } from 'hono';
import { loadPhoneNumber, type PhoneNumberRow } from '../../auth/access.js';
import type { z } from 'zod';
import type { AppEnv } from '../../app-deps.js';
import { errors, ok, phoneIdPath } from '../doc-schemas.js';
import { scope } from '../guards.js';

/** The `{id}` of the path has passed phoneIdPath before the handler runs (defineRoute validates params). */
export function pathPhone(c: Context<AppEnv>): Promise<PhoneNumberRow> {
  return loadPhoneNumber(c.var.deps.money, c.var.principal, c.req.param('id') ?? '');
}

/**
 * GET of one number's funding view (balance, account start, auto-renewal, top-ups, audit): scope read-balance,
 * no input but the number in the path, so no answer but the view, 401, 403 (an embed token without the scope)
 * or 404.
 */
export function fundingView<const P extends string>(
  path: P,
  summary: string,
  answer: string,
  schema?: z.ZodType,
) {
  return {
    method: 'get' as const,
    path,
    summary,
    middleware: [scope('read-balance')],
    request: { params: phoneIdPath },
    responses: { ...ok(answer, schema), ...errors(401, 403, 404) },
  };
}
