/**
 * The period still running at the viewer's time (this month, or today, on the viewer's calendar) and up to when
 * it is known, so charts draw it as partial rather than as a drop.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM` (month) or `YYYY-MM-DD` (day) of `now` on the viewer's calendar. */
export function runningPeriod(granularity: 'month' | 'day', now = new Date()): string {
  const month = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
  return granularity === 'month' ? month : `${month}-${pad(now.getDate())}`;
}

/**
 * Up to when the running period is known: the latest unit received when it falls inside the period, else
 * `now` (no unit yet this period: everything up to now has been counted as nothing).
 */
export function knownUpTo(period: string, dataThrough: string | null | undefined, now = new Date()): Date {
  const [y = 1970, m = 1, d] = period.split('-').map(Number);
  const start = new Date(y, m - 1, d ?? 1).getTime();
  const latest = dataThrough ? Date.parse(dataThrough) : NaN;
  return Number.isFinite(latest) && latest >= start && latest <= now.getTime() ? new Date(latest) : now;
}
