/** The read-only SQL capability as routes see it; the Node host runs it in a per-tenant DuckDB sandbox. */
import type { ColumnarResult } from '../db/db.js';
import type { UsageSourceClaim } from '../ledger/usage-source.js';
import type { RollupTables } from '../usage/rollup-tables.js';

export interface TenantQueryRequest {
  /** The phone numbers whose data the sandbox holds (the caller's visible numbers). */
  readonly phoneNumberIds: readonly string[];
  /** Inclusive range of WABA-local days of units, ledger and rollups copied in, 'YYYY-MM-DD'. */
  readonly fromDay: string;
  readonly toDay: string;
  readonly sql: string;
  /** The ledger read on the money plane when it is a store of its own (exports/money-ledger.ts). */
  readonly ledgerRows?: string;
  /** The rollups the rollup tables are copied from (exports/tenant-scope.ts); absent = the store's own. */
  readonly rollups?: RollupTables;
  /** Set off the usage source: the sandbox has no units table, and a query naming it is 409 not_usage_source. */
  readonly usageSource?: UsageSourceClaim;
  /** Keep the typed rows so that the answer can be written as Parquet. */
  readonly parquet?: boolean;
}

export interface TenantQueryAnswer {
  readonly result: ColumnarResult;
  /** More rows than the row limit: the answer holds the first ones only. */
  readonly truncated: boolean;
  readonly rowLimit: number;
  /** When the sandbox's snapshot of the tenant's data was taken. */
  readonly asOf: string;
  /** Present when asked for: the same rows as Parquet bytes with this key-value metadata. */
  readonly toParquet?: (metadata: Readonly<Record<string, string>>) => Promise<Uint8Array>;
}
