/**
 * "Enough for N days": the spend a number is expected to have over the next N days, from its daily paid
 * amounts in usage_daily (WABA-local days before today). With four weeks of history the forecast engine
 * (weekly seasonality) projects the days; with less, the average of the last 30 days is used.
 */
import { phoneAccount } from '../balance/ledger.js';
import { ceilToMinor, fromMicros, toMicros } from '../balance/money.js';
import type { Queryable } from '../db/db.js';
import { forecastSeries } from '../forecast/forecast-series.js';

const HISTORY_DAYS = 56;

export interface SpendEstimate {
  readonly amount: string;
  readonly days: number;
  readonly method: 'forecast' | 'average_30d';
  readonly daily_average_30d: string;
}

export async function estimateSpend(
  db: Queryable,
  phoneNumberId: string,
  days: number,
  now: Date,
): Promise<SpendEstimate> {
  const acct = await phoneAccount(db, phoneNumberId);
  const tz = acct?.timezone ?? 'UTC';
  const currency = acct?.currency ?? 'USD';
  const rows = await db.all<{ day: string; amt: string }>(
    `WITH today AS (SELECT CAST(timezone($tz, $now::TIMESTAMPTZ) AS DATE) AS d),
          days AS (SELECT CAST(g AS DATE) AS day FROM today,
                     generate_series(today.d - INTERVAL ${HISTORY_DAYS} DAY, today.d - INTERVAL 1 DAY, INTERVAL 1 DAY) t(g))
     SELECT strftime(days.day, '%Y-%m-%d') AS day,
            CAST(COALESCE(SUM(u.amount), 0) AS DECIMAL(18, 6))::VARCHAR AS amt
       FROM days LEFT JOIN usage_daily u ON u.local_day = days.day AND u.phone_number_id = $p
      GROUP BY days.day ORDER BY days.day`,
    { tz, now: now.toISOString(), p: phoneNumberId },
  );
  const micros = rows.map((r) => toMicros(r.amt));
  const last30 = micros.slice(-30).reduce((a, b) => a + b, 0n);
  const dailyAvg = last30 / 30n;
  const firstSpend = micros.findIndex((m) => m !== 0n);
  let total = 0n;
  let method: SpendEstimate['method'] | undefined;
  if (firstSpend >= 0 && firstSpend <= HISTORY_DAYS - 28) {
    const values = micros.slice(firstSpend).map((m) => Number(m) / 1e6);
    const f = forecastSeries(values, { horizon: days, seasonLength: 7, levels: [80] });
    const sum = f.mean.reduce((a, b) => a + Math.max(0, b), 0);
    total = toMicros(sum.toFixed(6));
    method = 'forecast';
  }
  if (method === undefined || total <= 0n) {
    // Σ(last 30 days) × N / 30, exact.
    total = (last30 * BigInt(days) + 29n) / 30n;
    method = 'average_30d';
  }
  return {
    amount: fromMicros(ceilToMinor(total, currency)),
    days,
    method,
    daily_average_30d: fromMicros(dailyAvg),
  };
}
