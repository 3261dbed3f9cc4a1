/**
 * The derivation pipeline (team contract): buckets pending units into local days and months in their WABA's
 * time zone, then recomputes whole (WABA, local month) sets — free/paid classification, pricing, rollups —
 * because the free tier ranks across every number of a WABA in a month.
 */
import type { Queryable } from '../db/db.js';
import { syncLedgerCharges } from '../balance/sync-charges.js';
import type { FundingContext } from '../funding/context.js';
import { withPortfolioSiblings } from '../pricing/portfolio-scope.js';
import { priceUnits } from '../pricing/price-units.js';
import { classifyUnits } from './classify-units.js';
import { updateDataFeed } from './data-feed.js';
import { rebuildRollups } from './rebuild-rollups.js';
import { normalizeScope, type WabaMonth } from '../kernel/waba-month.js';
import { raiseUnpricedAlerts } from './unpriced-alerts.js';

export interface RefreshOptions {
  /** Also take every unit whose derived columns are NULL (freshly ingested or reset) and its month. */
  readonly pending?: boolean;
  /** Months to recompute in any case (e.g. the old month of a unit that moved). */
  readonly wabaMonths?: readonly WabaMonth[];
  /** Optional timing hook (benchmarks): called after each step with its wall time in ms. */
  readonly onStep?: (step: 'bucket' | 'classify' | 'price' | 'rollup' | 'sync', ms: number) => void;
  /** Time and payment configuration for the ledger sync (auto-renewal top-ups); default: system clock. */
  readonly funding?: FundingContext;
}

/** Refreshes derived columns, prices and rollups for the affected WABA months; returns that scope. */
export async function refreshDerived(tx: Queryable, opts: RefreshOptions): Promise<WabaMonth[]> {
  const found: WabaMonth[] = [...(opts.wabaMonths ?? [])];
  let t = Date.now();
  const step = (name: Parameters<NonNullable<RefreshOptions['onStep']>>[0]) => {
    const now = Date.now();
    opts.onStep?.(name, now - t);
    t = now;
  };
  if (opts.pending) {
    // Local calendar in the WABA's zone (ICU): a unit at 23:30 on the 30th local is in that month even when
    // UTC is already in the next one. One pass per zone: a bound zone is folded to a constant, which DuckDB
    // converts about 7× faster than a zone read per row.
    const zones = await tx.all<{ timezone: string }>(
      `SELECT DISTINCT w.timezone FROM wabas w
        WHERE w.waba_id IN (SELECT DISTINCT waba_id FROM units WHERE regime IS NULL) ORDER BY 1`,
    );
    for (const { timezone } of zones) {
      await tx.run(
        `UPDATE units SET
            local_day = CAST(timezone($tz, opened_at) AS DATE),
            local_month = CAST(date_trunc('month', CAST(timezone($tz, opened_at) AS DATE)) AS DATE)
          WHERE regime IS NULL AND waba_id IN (SELECT waba_id FROM wabas WHERE timezone = $tz)`,
        { tz: timezone },
      );
    }
    const rows = await tx.all<WabaMonth>(
      `SELECT DISTINCT waba_id, strftime(local_month, '%Y-%m-%d') AS month
         FROM units WHERE regime IS NULL AND local_month IS NOT NULL`,
    );
    found.push(...rows);
  }
  step('bucket');
  const scope = normalizeScope(found);
  if (scope.length === 0) return scope;
  await classifyUnits(tx, scope);
  step('classify');
  // Volume tiers count across a business portfolio: its other WABAs' same months are re-priced too.
  const priced = await withPortfolioSiblings(tx, scope);
  await priceUnits(tx, priced);
  step('price');
  await rebuildRollups(tx, priced);
  await updateDataFeed(tx, scope);
  await raiseUnpricedAlerts(tx, scope, opts.funding ? opts.funding.now() : new Date());
  step('rollup');
  await syncLedgerCharges(tx, priced, opts.funding);
  step('sync');
  return priced;
}
