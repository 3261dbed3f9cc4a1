/**
 * Brings the ledger back in line with usage where the reconciliation check finds drift: the WABA-months of the
 * drifting days are synced again through the one posting path (post-usage-charges.ts), which appends only the
 * difference. Running it twice, or after a crash halfway, posts nothing more: it converges, it never adds up.
 */
import type { Db } from '../db/db.js';
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

/** Checks the scope, re-posts the drifting WABA-months in one transaction, and checks again. */
export async function repairDrift(
  db: Db,
  scope: ReconcileScope,
  ctx: DomainContext,
  limit = 100,
): Promise<RepairResult> {
  const before = await reconcileCharges(db, scope, ctx.now(), limit);
  if (before.in_balance) return { before, after: before, numbers_reposted: [] };
  const touched = await db.transaction((tx) =>
    postUsageCharges(tx, normalizeScope(before.repair_scope), ctx),
  );
  const after = await reconcileCharges(db, scope, ctx.now(), limit);
  return { before, after, numbers_reposted: touched };
}
