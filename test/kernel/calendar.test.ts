/** worker/kernel/calendar and local-time: month and day arithmetic, and the local day or month of an instant. */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  isCalendarDay,
  lastDayOfMonth,
  monthAtIndex,
  monthDays,
  monthIndex,
  monthNumberOfDay,
  monthsBetween,
} from '../../worker/kernel/calendar.js';
import { localDayOf, localMonthOf } from '../../worker/kernel/local-time.js';

describe('kernel/calendar', () => {
  it('adds months across years in both directions', () => {
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -27)).toBe('2023-12');
    expect(addMonths('2026-03', 0)).toBe('2026-03');
    expect(addMonths('0999-12', 1)).toBe('1000-01');
  });

  it('indexes months so that consecutive months differ by one', () => {
    expect(monthIndex('2026-01') - monthIndex('2025-12')).toBe(1);
    expect(monthIndex('2026-01-31')).toBe(monthIndex('2026-01'));
    expect(monthAtIndex(monthIndex('2024-02'))).toBe('2024-02');
  });

  it('knows the last day of a month, leap years included', () => {
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2100-02')).toBe('2100-02-28');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
    expect(monthDays('2026-01', '2026-04')).toEqual({ fromDay: '2026-01-01', toDay: '2026-04-30' });
  });

  it('lists the months between two days, inclusive', () => {
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02-01', '2026-01-01')).toEqual([]);
  });

  it('does day arithmetic without a time zone', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-03-28', '2026-04-02')).toBe(5);
    expect(monthNumberOfDay('2026-11-05')).toBe(11);
    expect([isCalendarDay('2026-02-28'), isCalendarDay('2026-02-29'), isCalendarDay('2026-13-01')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});

describe('kernel/local-time', () => {
  it('gives the local day and month of an instant in its zone', () => {
    const instant = new Date('2026-09-30T23:30:00Z');
    expect(localDayOf(instant.getTime(), 'UTC')).toBe('2026-09-30');
    expect(localDayOf(instant.getTime(), 'Europe/Berlin')).toBe('2026-10-01');
    expect(localDayOf(instant.getTime(), 'America/Sao_Paulo')).toBe('2026-09-30');
    expect(localMonthOf(instant, 'Asia/Kolkata')).toBe('2026-10');
    expect(localMonthOf(instant, 'America/New_York')).toBe('2026-09');
  });

  it('answers each zone on its own within the same quarter hour', () => {
    const t = Date.parse('2026-01-01T02:00:00Z');
    expect(localDayOf(t, 'America/Los_Angeles')).toBe('2025-12-31');
    expect(localDayOf(t, 'Asia/Tokyo')).toBe('2026-01-01');
    expect(localDayOf(t + 60_000, 'America/Los_Angeles')).toBe('2025-12-31');
  });
});
