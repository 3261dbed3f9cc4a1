/**
 * Buckets the units not yet derived into local days and months in their WABA's time zone (the first step of a
 * recompute, billing/recompute.ts) and returns their (WABA, month)s.
 */
import type { Queryable } from '../db/db.js';
import type { WabaMonth } from '../kernel/waba-month.js';

export async function bucketPendingUnits(tx: Queryable): Promise<WabaMonth[]> {
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
  return rows;
}
