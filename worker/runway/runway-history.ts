/**
 * The observed daily spend of a phone number: Σ amount of the daily rollup (paid units, WABA currency)
 * by WABA-local day, from its first day with usage (at most three years back) through the last day its feed
 * delivered any unit (`spend_through`, free units included), with the days in between without usage as zeros.
 * Days after `spend_through` are unknown, not zero: a feed that stopped must not read as a number that stopped
 * spending. Today is left out because it is still running.
 */
import type { Queryable } from '../db/db.js';
import { addDays, daysBetween } from '../kernel/calendar.js';
import { OWN_ROLLUPS } from '../usage/rollup-tables.js';

export interface DailySpend {
  readonly day: string;
  readonly amount: number;
}

export interface SpendHistory {
  readonly days: DailySpend[];
  /** Last local day with any unit of this number (null without any), and the complete days after it. */
  readonly dataThrough: string | null;
  readonly unseenDays: number;
}

const MAX_DAYS = 3 * 366;

/**
 * Daily spend up to the number's last day with data, before `today`; empty when the number never spent.
 * `daily`: the daily rollup table this replica answers usage from (ledger/usage-view.ts), a name from
 * usage/rollup-tables.ts only.
 */
export async function loadDailySpend(
  db: Queryable,
  phoneNumberId: string,
  today: string,
  daily: string = OWN_ROLLUPS.daily,
): Promise<SpendHistory> {
  const from = addDays(today, -MAX_DAYS);
  const rows = await db.all<{ day: string; amount: string; n: string }>(
    `SELECT strftime(local_day, '%Y-%m-%d') AS day, SUM(amount)::VARCHAR AS amount, SUM(n_all)::VARCHAR AS n
       FROM ${daily}
      WHERE phone_number_id = $p AND local_day >= $from::DATE AND local_day <= $today::DATE
      GROUP BY local_day ORDER BY local_day`,
    { p: phoneNumberId, from, today },
  );
  const last = rows.at(-1);
  const dataThrough = last ? last.day : null;
  // Complete days (before today) after the last one with data.
  const unseenDays = dataThrough ? Math.max(0, daysBetween(dataThrough, today) - 1) : 0;
  const first = rows.find((r) => r.day < today);
  if (!first || !dataThrough) return { days: [], dataThrough, unseenDays };
  const byDay = new Map(rows.map((r) => [r.day, Number(r.amount)]));
  const end = dataThrough < today ? addDays(dataThrough, 1) : today;
  const n = daysBetween(first.day, end);
  const days: DailySpend[] = [];
  for (let i = 0; i < n; i++) {
    const day = addDays(first.day, i);
    days.push({ day, amount: byDay.get(day) ?? 0 });
  }
  return { days, dataThrough, unseenDays };
}
