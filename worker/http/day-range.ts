/**
 * `from` / `to` given as months (YYYY-MM) or days (YYYY-MM-DD), resolved to an inclusive range of days: a month
 * `from` starts on its first day, a month `to` ends on its last. Default: the twelve months up to the clock's
 * current UTC month.
 */
import type { InputIssue } from '../errors.js';
import { addMonths, lastDayOfMonth } from '../kernel/calendar.js';

export { monthOrDayParam } from '../kernel/query-params.js';

export interface DayRange {
  /** First day, 'YYYY-MM-DD'. */
  readonly fromDay: string;
  /** Last day (inclusive), 'YYYY-MM-DD'. */
  readonly toDay: string;
}

export function resolveDayRange(
  from: string | undefined,
  to: string | undefined,
  now: Date,
): DayRange & { issues: InputIssue[] } {
  const current = now.toISOString().slice(0, 7);
  const toDay = to ? (to.length === 7 ? lastDayOfMonth(to) : to) : lastDayOfMonth(current);
  const fromDay = from
    ? from.length === 7
      ? `${from}-01`
      : from
    : `${addMonths(toDay.slice(0, 7), -11)}-01`;
  const issues: InputIssue[] = fromDay > toDay ? [{ column: 'from', reason: 'must not be after to' }] : [];
  return { fromDay, toDay, issues };
}
