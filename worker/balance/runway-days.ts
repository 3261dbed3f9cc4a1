/** Calendar-day helpers of the runway, on 'YYYY-MM-DD' strings (pure date arithmetic, no time zone). */

/** The date `n` days after `day`. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Month number 1–12 of a date. */
export function monthOf(day: string): number {
  return Number(day.slice(5, 7));
}
