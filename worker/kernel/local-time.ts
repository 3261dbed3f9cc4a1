/**
 * The local calendar of an instant in an IANA time zone: which day, or which month, it is there. Billing
 * months, regime switches and the runway's days are all local to the WABA's zone.
 */

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
/** Last answer per zone by quarter hour: every UTC offset in use is a multiple of 15 minutes. */
const lastDay = new Map<string, { quarter: number; day: string }>();
const QUARTER_MS = 900_000;

/** The local day ('YYYY-MM-DD') of an instant in a time zone; cached per quarter hour for the send gate. */
export function localDayOf(epochMs: number, timeZone: string): string {
  const quarter = Math.floor(epochMs / QUARTER_MS);
  const hit = lastDay.get(timeZone);
  if (hit && hit.quarter === quarter) return hit.day;
  const day = formatDay(epochMs, timeZone);
  lastDay.set(timeZone, { quarter, day });
  return day;
}

/** The local month ('YYYY-MM') of an instant in a time zone. */
export function localMonthOf(instant: Date, timeZone: string): string {
  return localDayOf(instant.getTime(), timeZone).slice(0, 7);
}

function formatDay(epochMs: number, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f.format(epochMs);
}
