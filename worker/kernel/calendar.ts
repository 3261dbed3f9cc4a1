/**
 * Calendar arithmetic on plain strings: months 'YYYY-MM' and days 'YYYY-MM-DD', with no time zone (a day here
 * is already a local day; worker/kernel/local-time.ts finds the local day or month of an instant).
 */

/** The month `delta` months after 'YYYY-MM' (delta may be negative). */
export function addMonths(month: string, delta: number): string {
  return monthAtIndex(monthIndex(month) + delta);
}

/** Months since year 0 of 'YYYY-MM' (or of the month of 'YYYY-MM-DD'): consecutive months differ by one. */
export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** The 'YYYY-MM' of a month index (inverse of monthIndex). */
export function monthAtIndex(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The last day of 'YYYY-MM', as 'YYYY-MM-DD'. */
export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month.slice(0, 7)}-${String(d).padStart(2, '0')}`;
}

/** The days spanned by the months [from, to] ('YYYY-MM'): from's first day to to's last. */
export function monthDays(from: string, to: string): { fromDay: string; toDay: string } {
  return { fromDay: `${from}-01`, toDay: lastDayOfMonth(to) };
}

/** Months 'YYYY-MM' from the month of fromDay to the month of toDay. */
export function monthsBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let m = fromDay.slice(0, 7); m <= toDay.slice(0, 7); m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Month number 1–12 of a day 'YYYY-MM-DD' (for seasonal factors indexed by calendar month). */
export function monthNumberOfDay(day: string): number {
  return Number(day.slice(5, 7));
}

/** The day `n` days after `day`. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Whether 'YYYY-MM-DD' names a day that exists (2026-02-30 does not). */
export function isCalendarDay(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
