/** UTC offsets of IANA zones by day, memoised: the generator places events at local wall-clock times. */
const cache = new Map<string, number>();
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Minutes the zone is ahead of UTC at the given instant. */
export function offsetMinutes(tz: string, utcMs: number): number {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!,
  );
  return Math.round((wall - utcMs) / 60000);
}

/** The UTC instant of a local wall time on a day (offset taken at local noon; DST edges shift by an hour). */
export function localToUtc(tz: string, dayUtcMidnight: number, secondsIntoDay: number): number {
  const key = `${tz}|${dayUtcMidnight}`;
  let off = cache.get(key);
  if (off === undefined) {
    off = offsetMinutes(tz, dayUtcMidnight + 12 * 3600_000);
    cache.set(key, off);
  }
  return dayUtcMidnight + secondsIntoDay * 1000 - off * 60_000;
}
