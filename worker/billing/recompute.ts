/**
 * The one recompute of (WABA, local month) sets, used by both ingest paths and by re-pricing: bucket → classify
 * → price → rollups → ledger sync → after-posting effects. Whole months, because the free tier ranks across
 * every number of a WABA in a month and volume tiers across a business portfolio. Each step keeps its own SQL
 * (usage/, pricing/, ledger/); this module only fixes their order. What follows a balance change (renewal,
 * alerts, the gate's cache) is registered here to run after the commit.
 */
import type { Queryable } from '../db/db.js';
import { afterLedgerChange } from '../funding/after-ledger-change.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { syncLedgerCharges } from '../ledger/sync-charges.js';
import { withPortfolioSiblings } from '../pricing/portfolio-scope.js';
import { applyVolumeTiers, priceUnits } from '../pricing/price-units.js';
import { classifyUnits, rankFreeTier } from '../usage/classify-units.js';
import { updateDataFeed } from '../usage/data-feed.js';
import { bucketPendingUnits } from '../usage/derive.js';
import { rebuildRollups } from '../usage/rebuild-rollups.js';
import type { Recompute, RecomputePlan, RecomputeStep } from '../usage/recompute-plan.js';
import type { WabaMonth } from '../kernel/waba-month.js';
import { normalizeScope } from '../kernel/waba-month.js';
import { raiseUnpricedAlerts } from '../usage/unpriced-alerts.js';

/** Recomputes the plan's months; returns the months priced (the scope with its portfolio siblings). */
export async function recompute(
  tx: Queryable,
  plan: RecomputePlan,
  ctx: DomainContext,
): Promise<WabaMonth[]> {
  let t = Date.now();
  const step = (name: RecomputeStep) => {
    const now = Date.now();
    plan.onStep?.(name, now - t);
    t = now;
  };
  const found = [...plan.scope];
  if (plan.pending) found.push(...(await bucketPendingUnits(tx)));
  step('bucket');
  const scope = normalizeScope(found);
  if (scope.length === 0) return scope;

  let priced: WabaMonth[];
  if (plan.mode === 'whole') {
    await classifyUnits(tx, scope);
    step('classify');
    priced = await withPortfolioSiblings(tx, scope);
    await priceUnits(tx, priced);
  } else {
    const reranked = await rankFreeTier(tx, scope);
    step('classify');
    // Units the free tier freed or charged, and units landed without a market, are priced by their numbers.
    const reprice = normalizeScope([...reranked, ...(plan.unmarked ?? [])]);
    if (reprice.length > 0) await priceUnits(tx, reprice);
    priced = await withPortfolioSiblings(tx, scope);
    await applyVolumeTiers(tx, priced);
  }
  step('price');

  await rebuildRollups(tx, priced);
  await updateDataFeed(tx, scope);
  await raiseUnpricedAlerts(tx, scope, ctx.now());
  step('rollups');

  const touched = await syncLedgerCharges(tx, priced, ctx.now());
  await afterLedgerChange(tx, touched, ctx);
  step('ledger');
  return priced;
}

/** The recompute bound to a domain context (time and payment configuration), as ingest and re-pricing take it. */
export function recomputer(ctx: DomainContext): Recompute {
  return (tx, plan) => recompute(tx, plan, ctx);
}

/** Whole-month recompute of the given months (and, with `pending`, of every unit not yet derived). */
export function refreshDerived(
  tx: Queryable,
  opts: {
    readonly pending?: boolean;
    readonly wabaMonths?: readonly WabaMonth[];
    readonly domain: DomainContext;
    readonly onStep?: RecomputePlan['onStep'];
  },
): Promise<WabaMonth[]> {
  const plan = {
    scope: opts.wabaMonths ?? [],
    pending: opts.pending,
    mode: 'whole',
    onStep: opts.onStep,
  } as const;
  return recompute(tx, plan, opts.domain);
}
