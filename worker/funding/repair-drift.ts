/**
 * Brings the ledger back in line with usage where the reconciliation check finds drift: the WABA-months of the
 * drifting days are synced again through the one posting path (post-usage-charges.ts), which appends only the
 * difference. Running it twice, or after a crash halfway (usage committed on the analytics plane, its postings
 * not yet on the money plane), posts nothing more: it converges, it never adds up.
 */
import type { Db } from '../db/db.js';
import { planesOf } from '../db/planes.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { normalizeScope } from '../kernel/waba-month.js';
import { reconcileCharges, type ReconcileReport, type ReconcileScope } from '../ledger/reconcile.js';
import { postUsageCharges } from './post-usage-charges.js';

export interface RepairResult {
  readonly before: ReconcileReport;
  readonly after: ReconcileReport;
  /** Numbers whose balance the repair moved. */
  readonly numbers_reposted: readonly string[];
}

/** Checks the scope, re-posts the drifting WABA-months in one money transaction, and checks again. */
export async function repairDrift(
  stores: { readonly db: Db; readonly money: Db },
  scope: ReconcileScope,
  ctx: DomainContext,
  limit = 100,
): Promise<RepairResult> {
  const planes = { analytics: stores.db, money: stores.money };
  const before = await reconcileCharges(planes, scope, ctx.now(), limit);
  if (before.in_balance) return { before, after: before, numbers_reposted: [] };
  const touched = await stores.money.transaction((tx) =>
    postUsageCharges(planesOf(stores, tx), normalizeScope(before.repair_scope), ctx),
  );
  const after = await reconcileCharges(planes, scope, ctx.now(), limit);
  return { before, after, numbers_reposted: touched };
}
