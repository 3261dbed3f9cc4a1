/**
 * What the tenant tables read on this replica, for the raw exports, the lake export (HTTP and `npm run export`)
 * and the SQL sandbox alike: the rollup tables from the rollups this replica answers usage with (its own on the
 * usage source, elsewhere the copy of what the source published, caught up first: ledger/usage-view.ts), the
 * ledger from the money plane when that is a store of its own. A replica that is not the usage source holds no
 * units: asking it for them is refused with 409 not_usage_source naming the source before anything is written,
 * never answered from its empty units table.
 */
import type { Db } from '../db/db.js';
import { planesSplit } from '../db/planes.js';
import { requireOwnUsage, usageView } from '../ledger/usage-view.js';
import type { UsageSourceClaim } from '../ledger/usage-source.js';
import type { RollupTables } from '../usage/rollup-tables.js';
import { moneyLedgerRows } from './money-ledger.js';
import { UNIT_TABLES, type TenantTable } from './tenant-tables.js';

export interface TenantScope {
  readonly phoneNumberIds: readonly string[];
  /** Inclusive range of WABA-local days, 'YYYY-MM-DD'. */
  readonly fromDay: string;
  readonly toDay: string;
  /** The ledger read on the money plane when it is a store of its own (money-ledger.ts). */
  readonly ledgerRows?: string;
  /** The rollups the rollup tables read. */
  readonly rollups: RollupTables;
  /** Set when this replica is not the usage source: the source, which alone holds the units. */
  readonly usageSource?: UsageSourceClaim;
}

/** What the unit tables need, as the 409 problem says it. */
export const UNITS_NEEDED = 'unit-level rows (the units table)';

/**
 * The scope of `tables` on this replica. With `unitsOptional` (the SQL sandbox, whose query may not touch the
 * units) a replica that is not the source answers its scope without the units instead of refusing.
 */
export async function tenantScope(
  deps: { readonly db: Db; readonly money: Db; readonly clock: { now(): Date } },
  scope: { readonly phoneNumberIds: readonly string[]; readonly fromDay: string; readonly toDay: string },
  tables: readonly TenantTable[],
  opts: { readonly unitsOptional?: boolean } = {},
): Promise<TenantScope> {
  const view = await usageView(deps, deps.clock.now());
  if (!opts.unitsOptional && tables.some((t) => UNIT_TABLES.includes(t))) requireOwnUsage(view, UNITS_NEEDED);
  const ledger = tables.includes('ledger') && planesSplit(deps);
  return {
    ...scope,
    rollups: view.tables,
    ...(ledger ? { ledgerRows: await moneyLedgerRows(deps.money, scope) } : {}),
    ...(view.source ? { usageSource: view.source } : {}),
  };
}
