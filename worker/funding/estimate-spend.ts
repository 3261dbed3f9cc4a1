/**
 * "Enough for N days": the spend a number is expected to have over the next N days, from its daily paid
 * amounts in the daily rollup (WABA-local days before today) through its last day with data (`spend_through`): days
 * after it are unknown, not zero, so a feed that stopped does not make the quote small. With four weeks of
 * history the forecast engine (weekly seasonality) projects the days from the day after `spend_through`, and
 * the N days from today are summed; with less, the average of the 30 days up to `spend_through` is used. The
 * basis says when the data are stale.
 */
import { phoneAccount } from '../ledger/ledger.js';
import { ceilToMinor, fromMicros, toMicros } from '../kernel/money.js';
import { loadDailySpend } from '../runway/runway-history.js';
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { forecastSeries } from '../forecast/forecast-series.js';
import { localDayOf } from '../kernel/local-time.js';
import { OWN_ROLLUPS, type RollupTables } from '../usage/rollup-tables.js';

const HISTORY_DAYS = 56;
/** Complete days without data after which a quote is marked stale (as the runway does). */
const STALE_AFTER_DAYS = 2;

export interface SpendEstimate {
  readonly amount: string;
  readonly days: number;
  readonly method: 'forecast' | 'average_30d';
  readonly daily_average_30d: string;
  readonly spend_through: string | null;
  readonly stale: boolean;
  readonly unseen_days: number;
}

export async function estimateSpend(
  planes: Queryable | Planes,
  phoneNumberId: string,
  days: number,
  now: Date,
  rollups: RollupTables = OWN_ROLLUPS,
): Promise<SpendEstimate> {
  const p = asPlanes(planes);
  const acct = await phoneAccount(p.money, phoneNumberId);
  const tz = acct?.timezone ?? 'UTC';
  const currency = acct?.currency ?? 'USD';
  const today = localDayOf(now.getTime(), tz);
  const spend = await loadDailySpend(p.analytics, phoneNumberId, today, rollups.daily);
  // The last HISTORY_DAYS days up to spend_through, days before the first one with data as zeros.
  const known = spend.days.slice(-HISTORY_DAYS).map((d) => toMicros(d.amount.toFixed(6)));
  const micros = [...new Array<bigint>(Math.max(0, HISTORY_DAYS - known.length)).fill(0n), ...known];
  const last30 = micros.slice(-30).reduce((a, b) => a + b, 0n);
  const dailyAvg = last30 / 30n;
  const firstSpend = micros.findIndex((m) => m !== 0n);
  const gap = spend.unseenDays;
  let total = 0n;
  let method: SpendEstimate['method'] | undefined;
  if (firstSpend >= 0 && firstSpend <= HISTORY_DAYS - 28) {
    const values = micros.slice(firstSpend).map((m) => Number(m) / 1e6);
    const f = forecastSeries(values, { horizon: gap + days, seasonLength: 7, levels: [80] });
    const sum = f.mean.slice(gap).reduce((a, b) => a + Math.max(0, b), 0);
    total = toMicros(sum.toFixed(6));
    method = 'forecast';
  }
  if (method === undefined || total <= 0n) {
    // Σ(last 30 days with data) × N / 30, exact.
    total = (last30 * BigInt(days) + 29n) / 30n;
    method = 'average_30d';
  }
  return {
    amount: fromMicros(ceilToMinor(total, currency)),
    days,
    method,
    daily_average_30d: fromMicros(dailyAvg),
    spend_through: spend.dataThrough,
    stale: gap >= STALE_AFTER_DAYS,
    unseen_days: gap,
  };
}
