/**
 * The observed daily spend of a phone number: Σ amount of the usage_daily rollup (paid units, WABA currency)
 * by WABA-local day, from its first day with usage (at most three years back) to yesterday, with the days
 * without usage as zeros. Today is left out because it is still running.
 */
import type { Queryable } from '../db/db.js';
import { addDays, daysBetween } from './runway-days.js';

export interface DailySpend {
  readonly day: string;
  readonly amount: number;
}

const MAX_DAYS = 3 * 366;

/** Daily spend up to (not including) `today`, zero-filled; empty when the number never spent. */
export async function loadDailySpend(
  db: Queryable,
  phoneNumberId: string,
  today: string,
): Promise<DailySpend[]> {
  const from = addDays(today, -MAX_DAYS);
  const rows = await db.all<{ day: string; amount: string }>(
    `SELECT strftime(local_day, '%Y-%m-%d') AS day, SUM(amount)::VARCHAR AS amount
       FROM usage_daily
      WHERE phone_number_id = $p AND local_day >= $from::DATE AND local_day < $today::DATE
      GROUP BY local_day ORDER BY local_day`,
    { p: phoneNumberId, from, today },
  );
  const first = rows[0];
  if (!first) return [];
  const byDay = new Map(rows.map((r) => [r.day, Number(r.amount)]));
  const n = daysBetween(first.day, today);
  const out: DailySpend[] = [];
  for (let i = 0; i < n; i++) {
    const day = addDays(first.day, i);
    out.push({ day, amount: byDay.get(day) ?? 0 });
  }
  return out;
}
