/**
 * Off the usage source a tenant sandbox has no units table (tenant-sandbox.ts): a query naming it fails to bind,
 * and this turns that failure into the answer the service owes. DuckDB's binder names the first table it cannot
 * find, and a CTE of the same name binds, so the failure means the query reads the units themselves: 409
 * not_usage_source naming the source. The statement was not yet classified (binding comes first), so a statement
 * that is no SELECT at all (DROP, COPY, EXPLAIN …) gets the refusal it gets on the source, 400 not_allowed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryNotAllowedError } from '../errors.js';
import { UNITS_NEEDED } from '../exports/tenant-scope.js';
import { UNIT_TABLES } from '../exports/tenant-tables.js';
import type { UsageSourceClaim } from '../ledger/usage-source.js';
import { notOwnUsage } from '../ledger/usage-view.js';

const MISSING_TABLE = /^Catalog Error: Table with name (.+?) does not exist/;

/** The refusal for `err` when it is a unit table missing from a sandbox built without them; null otherwise. */
export async function unitsRefusal(
  err: unknown,
  conn: DuckDBConnection,
  sql: string,
  usageSource: UsageSourceClaim | undefined,
): Promise<Error | null> {
  if (!usageSource || !(err instanceof Error)) return null;
  const missing = MISSING_TABLE.exec(err.message)?.[1]?.toLowerCase();
  if (!missing || !(UNIT_TABLES as readonly string[]).includes(missing)) return null;
  // DuckDB's own parser: only a SELECT serialises (json_serialize_sql answers error: true for anything else).
  const parsed = await conn.runAndReadAll(
    `SELECT json_extract_string(json_serialize_sql(CAST($sql AS VARCHAR)), '$.error') = 'false' AS select`,
    { sql },
  );
  if (parsed.getRowsJson()[0]?.[0] !== true)
    return new QueryNotAllowedError('Only SELECT is allowed; this is not a SELECT statement.');
  return notOwnUsage(usageSource, UNITS_NEEDED);
}
