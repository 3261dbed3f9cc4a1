/**
 * The runway_short alert: with auto-renewal enabled, the median path still runs out within the
 * horizon, i.e. the balance falls from the threshold to zero faster than a renewal settles (or the cap stops
 * renewals). Raised once per crossing through the balance area's raiseAlert, re-armed when it recovers. Only
 * the runway job raises it: the runway answer just says whether it is short, so reading it writes nothing.
 */
import type { Db } from '../db/db.js';
import { clearAlert, raiseAlert } from '../alerts/alert-table.js';
import type { Runway } from './runway.js';

/** Whether the saved, enabled auto-renewal still lets the median path run out within the horizon. */
export function isRunwayShort(r: Runway): boolean {
  const sim = r.renewal_simulated;
  return sim !== null && sim.source === 'saved' && sim.enabled && r.runs_out.with_renewal?.p50 != null;
}

/** Raises or re-arms runway_short from a computed runway; returns whether it is short. */
export async function checkRunwayAlert(db: Db, r: Runway, now: Date): Promise<boolean> {
  const sim = r.renewal_simulated;
  const runOut = r.runs_out.with_renewal?.p50 ?? null;
  const short = isRunwayShort(r);
  await db.transaction(async (tx) => {
    if (short && sim) {
      await raiseAlert(tx, {
        phone_number_id: r.phone_number_id,
        kind: 'runway_short',
        message:
          `Even with auto-renewal the balance is forecast to run out on ${runOut} (P50): a renewal cannot ` +
          'settle before the balance reaches zero. Raise the threshold or the amount.',
        data: { p50: runOut, threshold: sim.threshold, amount: sim.amount, balance: r.balance },
        now,
      });
    } else {
      await clearAlert(tx, r.phone_number_id, 'runway_short', now);
    }
  });
  return short;
}
