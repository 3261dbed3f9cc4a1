/**
 * Background job: a WABA whose latest unit (data_through) is older than STALE_DATA_AFTER_MS gets one
 * `stale_data` alert per silence; the alert re-arms once data reaches past the limit again. Only WABAs whose
 * state changes are written, so a quiet tick costs one small read of data_feed.
 */
import type { AppDeps } from '../env.js';
import { clearWabaAlert, raiseWabaAlert } from '../funding/alerts.js';

interface Feed {
  waba_id: string;
  data_through: string;
  stale: boolean;
  active: boolean;
}

/** One pass; returns how many stale_data alerts it raised. */
export async function checkStaleData(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>): Promise<number> {
  const now = deps.clock.now();
  const limitMs = deps.config.staleDataAfterMs;
  const cutoff = new Date(now.getTime() - limitMs).toISOString();
  const changes = await deps.db.all<Feed>(
    `SELECT f.waba_id, strftime(f.through AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS data_through,
            f.through < $cutoff::TIMESTAMPTZ AS stale, COALESCE(s.active, false) AS active
       FROM (SELECT waba_id, max(data_through) AS through FROM data_feed GROUP BY 1) f
       LEFT JOIN waba_alert_states s ON s.waba_id = f.waba_id AND s.kind = 'stale_data' AND s.scope_key = ''
      WHERE (f.through < $cutoff::TIMESTAMPTZ) <> COALESCE(s.active, false)
      ORDER BY f.waba_id`,
    { cutoff },
  );
  let raised = 0;
  for (const f of changes) {
    await deps.db.transaction(async (tx) => {
      if (!f.stale) return clearWabaAlert(tx, f.waba_id, 'stale_data', '', now);
      const hours = Math.round((limitMs / 3_600_000) * 10) / 10;
      const id = await raiseWabaAlert(tx, {
        waba_id: f.waba_id,
        kind: 'stale_data',
        scope_key: '',
        message:
          `No data for WABA ${f.waba_id} after ${f.data_through}: the feed has been silent for more than ` +
          `${hours} hours, so usage, charges and balances may be behind.`,
        data: { data_through: f.data_through, silent_after_ms: limitMs },
        now,
      });
      if (id) raised++;
    });
  }
  return raised;
}
