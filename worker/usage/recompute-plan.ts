/**
 * What a recompute of (WABA, local month) sets is asked to do, and the shape of the function that does it
 * (billing/recompute.ts). Ingest and re-pricing sit below the ledger and funding, so they receive that function
 * from their caller rather than import it.
 */
import type { Queryable } from '../db/db.js';
import type { WabaMonth } from '../kernel/waba-month.js';

/** The steps of a recompute, in their order, as reported to a timing hook. */
export type RecomputeStep = 'bucket' | 'classify' | 'price' | 'rollups' | 'ledger';

export interface RecomputePlan {
  /** Months to recompute in every case (e.g. the old month of a unit that moved). */
  readonly scope: readonly WabaMonth[];
  /** Also bucket every unit not yet derived (local day and month in its WABA's zone) and take its month. */
  readonly pending?: boolean;
  /**
   * 'whole': classify and price every unit of the months. 'settled': the units of a landed batch are classified
   * and priced by their rates already; the free tier is re-ranked, the units it freed or charged are priced
   * again, as are the months of units that came without market or country (`unmarked`), then volume tiers.
   */
  readonly mode: 'whole' | 'settled';
  readonly unmarked?: readonly WabaMonth[];
  /** Timing hook (benchmarks): called after each step with its wall time in ms. */
  readonly onStep?: (step: RecomputeStep, ms: number) => void;
}

/** Recomputes the plan's months inside `tx` and returns the months priced (with portfolio siblings). */
export type Recompute = (tx: Queryable, plan: RecomputePlan) => Promise<WabaMonth[]>;
