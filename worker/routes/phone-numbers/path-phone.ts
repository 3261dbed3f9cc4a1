/**
 * The number a `/v1/phone-numbers/{id}/…` route names, loaded for the caller: a number the caller may not see
 * answers 404 like one that does not exist, on every route of the tree alike.
 */
import type { Context } from 'hono';
import { loadPhoneNumber, type PhoneNumberRow } from '../../auth/access.js';
import type { AppEnv } from '../../env.js';

/** The `{id}` of the path has passed phoneIdPath before the handler runs (defineRoute validates params). */
export function pathPhone(c: Context<AppEnv>): Promise<PhoneNumberRow> {
  return loadPhoneNumber(c.var.deps.db, c.var.principal, c.req.param('id') ?? '');
}
