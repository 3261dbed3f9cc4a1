/**
 * Instants as the API writes them (ISO 8601 in UTC with milliseconds, '2026-01-02T03:04:05.123Z'), from the text
 * every store answers for a TIMESTAMPTZ ('2026-01-02 03:04:05.123456+00', UTC, the fraction only when non-zero).
 * Formatting in TypeScript keeps the money SQL in the dialect DuckDB and Postgres share: DuckDB's strftime and
 * Postgres's to_char have no common form.
 */

const STORE_INSTANT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/** '2026-01-02 03:04:05.123456+00' → '2026-01-02T03:04:05.123Z' (the fraction cut to milliseconds, not rounded). */
export function isoMillis(text: string): string {
  const m = STORE_INSTANT.exec(text);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  // Any other spelling of an instant (an offset other than +00) is still one instant.
  return new Date(text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')).toISOString();
}

/** isoMillis of a nullable column. */
export function isoMillisOrNull(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : isoMillis(text);
}

/** '2026-01-02 03:04:05.123456+00' → '2026-01-02T03:04:05Z' (whole seconds, the fraction cut). */
export function isoSeconds(text: string): string {
  return `${isoMillis(text).slice(0, 19)}Z`;
}
