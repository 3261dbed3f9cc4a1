/**
 * Background job: a phone number whose latest unit (data_through) is older than STALE_DATA_AFTER_MS gets one
 * `stale_data` alert per silence; the alert re-arms once its data reaches past the limit again. Each number is
 * watched on its own, so a number whose feed stopped is reported while the other numbers of its WABA still
 * flow. Only numbers whose state changes are written, so a quiet tick costs one small read of data_feed (on
 * the analytics plane) and one of the stale_data states (on the money plane, where alerts live).
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import { clearAlert, raiseAlert } from '../alerts/alert-table.js';
import { OWN_ROLLUPS } from './rollup-tables.js';

interface Feed {
  phone_number_id: string;
  waba_id: string;
  data_through: string;
  stale: boolean;
}

export interface StaleDataDeps {
  /** The analytics plane: data_feed and its mirror of the numbers. */
  readonly db: Db;
  /** The money plane: alert states and alerts. */
  readonly money: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'staleDataAfterMs'>;
  /**
   * The feed table this replica answers freshness from (usage/rollup-tables.ts): the job runs on whichever
   * replica holds its lease, and one that is not the usage source reads the published feed.
   */
  readonly feed?: string;
}

/** One pass; returns how many stale_data alerts it raised. */
export async function checkStaleData(deps: StaleDataDeps): Promise<number> {
  const now = deps.clock.now();
  const limitMs = deps.config.staleDataAfterMs;
  const cutoff = new Date(now.getTime() - limitMs).toISOString();
  // Numbers only (a row of a number no longer registered has no one to tell).
  const feeds = await deps.db.all<Feed>(
    `SELECT f.phone_number_id, p.waba_id,
            strftime(f.data_through AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS data_through,
            f.data_through < $cutoff::TIMESTAMPTZ AS stale
       FROM ${deps.feed ?? OWN_ROLLUPS.feed} f
       JOIN phone_numbers p ON p.phone_number_id = f.phone_number_id
      ORDER BY f.phone_number_id`,
    { cutoff },
  );
  const active = await deps.money.all<{ phone_number_id: string }>(
    "SELECT phone_number_id FROM alert_states WHERE kind = 'stale_data' AND active",
  );
  const raisedNow = new Set(active.map((a) => a.phone_number_id));
  const changes = feeds.filter((f) => f.stale !== raisedNow.has(f.phone_number_id));
  let raised = 0;
  const hours = Math.round((limitMs / 3_600_000) * 10) / 10;
  for (const f of changes) {
    await deps.money.transaction(async (tx) => {
      if (!f.stale) return clearAlert(tx, f.phone_number_id, 'stale_data', now);
      const id = await raiseAlert(tx, {
        phone_number_id: f.phone_number_id,
        kind: 'stale_data',
        message:
          `No data for phone number ${f.phone_number_id} (WABA ${f.waba_id}) after ${f.data_through}: its feed ` +
          `has been silent for more than ${hours} hours, so its usage, charges and balance may be behind.`,
        data: { data_through: f.data_through, silent_after_ms: limitMs },
        now,
      });
      if (id) raised++;
    });
  }
  return raised;
}
