/**
 * Background job: re-evaluates runway_short for every number with auto-renewal enabled, so the alert fires
 * without anyone opening the runway. It runs detached from the job tick (a forecast per number takes ~0.1 s
 * and must not hold up startup), one pass at a time. The job runs on whichever replica holds its lease: the
 * spend comes from the usage this replica answers with (its own rollups on the usage source, the published
 * ones elsewhere), so every holder raises the alerts the source would.
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import { usageView } from '../ledger/usage-view.js';
import { checkRunwayAlert } from './runway-alert.js';
import { computeRunway } from './runway.js';

export interface RunwayAlertDeps {
  /** The analytics plane: the usage the spend is forecast from. */
  readonly db: Db;
  /** The money plane: renewal settings, balances, tenancy and the alert. */
  readonly money: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'settlementDelayMs'>;
  readonly log: Logger;
}

let running = false;

/** Starts one pass unless one is still running; errors are logged, never thrown. */
export async function startRunwayAlertPass(deps: RunwayAlertDeps): Promise<void> {
  if (running) return;
  running = true;
  void runRunwayAlertPass(deps)
    .catch((err: unknown) => deps.log.error('runway alert pass failed', { error: String(err) }))
    .finally(() => {
      running = false;
    });
}

/** One pass over the numbers with auto-renewal enabled. */
export async function runRunwayAlertPass(deps: RunwayAlertDeps): Promise<void> {
  const numbers = await deps.money.all<{ phone_number_id: string; timezone: string; currency: string }>(
    `SELECT p.phone_number_id, w.timezone, w.currency
       FROM auto_renewals a JOIN phone_numbers p ON p.phone_number_id = a.phone_number_id
       JOIN wabas w ON w.waba_id = p.waba_id
      WHERE a.enabled ORDER BY p.phone_number_id`,
  );
  const { tables } = await usageView(deps, deps.clock.now());
  for (const n of numbers) {
    const now = deps.clock.now();
    const runway = await computeRunway(
      { analytics: deps.db, money: deps.money },
      {
        phoneNumberId: n.phone_number_id,
        timezone: n.timezone,
        currency: n.currency,
        horizonDays: 90,
        now,
        settlementDelayMs: deps.config.settlementDelayMs,
        rollups: tables,
      },
    );
    await checkRunwayAlert(deps.money, runway, now);
  }
}
