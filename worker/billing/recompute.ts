/**
 * The one recompute of (WABA, local month) sets, used by both ingest paths and by re-pricing: bucket → classify
 * → price → rollups → ledger sync → after-posting effects. Whole months, because the free tier ranks across
 * every number of a WABA in a month and volume tiers across a business portfolio. Each step keeps its own SQL
 * (usage/, pricing/, ledger/); this module only fixes their order. What follows a balance change (renewal,
 * alerts, the gate's cache) is registered here to run after the commit.
 * With the money plane in a store of its own (STORE=pglite|postgres) the money steps (the unpriced-units alert
 * and the ledger sync) run in a money transaction after the analytics commit, reading the committed usage. A
 * posting the ledger would refuse is found before that commit, so the batch is refused as with one store; a
 * crash between the two commits is repaired at startup (funding/repair-drift.ts). The changed rollups are
 * published to the money plane for the other replicas (ledger/publish-usage.ts) at the same time.
 */
import { sideBySide } from '../db/after-commit-effects.js';
import { onCommit, type Db, type Queryable } from '../db/db.js';
import { planesSplit } from '../db/planes.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { postUsageCharges } from '../funding/post-usage-charges.js';
import { checkUsageDiffs } from '../ledger/ledger.js';
import { publishUsage } from '../ledger/publish-usage.js';
import { usageDiffs } from '../ledger/sync-charges.js';
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
/** The stores of the two planes; the money steps run after the analytics commit when they differ. */
export interface PlaneStores {
  readonly db: Db;
  /** The money plane; none = `db` (STORE=duckdb). */
  readonly money?: Db;
}

export async function recompute(
  tx: Queryable,
  plan: RecomputePlan,
  ctx: DomainContext,
  stores?: PlaneStores,
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
  const money = stores?.money;
  if (stores && money && planesSplit({ db: stores.db, money })) {
    step('rollups');
    checkUsageDiffs(await usageDiffs({ analytics: tx, money }, priced));
    // Beside the posting, the rollups this commit changed are published for the replicas that are not the
    // source (rollup_changes names them until they are published, so a stop before it is repaired by the next
    // publication): other tables and connections on both planes, so neither waits for the other.
    onCommit(
      tx,
      sideBySide(
        (db) =>
          money.transaction(async (mtx) => {
            const planes = { analytics: db, money: mtx };
            await raiseUnpricedAlerts(planes, scope, ctx.now());
            await postUsageCharges(planes, priced, ctx);
          }),
        async (db) => void (await publishUsage({ db, money }, ctx.now())),
      ),
    );
    step('ledger');
    return priced;
  }
  await raiseUnpricedAlerts(tx, scope, ctx.now());
  step('rollups');

  await postUsageCharges(tx, priced, ctx);
  step('ledger');
  return priced;
}

/**
 * The recompute bound to a domain context (time and payment configuration) and, for a host with both planes,
 * their stores, as ingest and re-pricing take it.
 */
export function recomputer(ctx: DomainContext, stores?: PlaneStores): Recompute {
  return (tx, plan) => recompute(tx, plan, ctx, stores);
}

/** Whole-month recompute of the given months (and, with `pending`, of every unit not yet derived). */
export function refreshDerived(
  tx: Queryable,
  opts: {
    readonly pending?: boolean;
    readonly wabaMonths?: readonly WabaMonth[];
    readonly domain: DomainContext;
    readonly onStep?: RecomputePlan['onStep'];
    readonly stores?: PlaneStores;
  },
): Promise<WabaMonth[]> {
  const plan = {
    scope: opts.wabaMonths ?? [],
    pending: opts.pending,
    mode: 'whole',
    onStep: opts.onStep,
  } as const;
  return recompute(tx, plan, opts.domain, opts.stores);
}
