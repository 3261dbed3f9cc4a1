/**
 * SQL string literals for the few places a value cannot be a bound parameter: DDL and COPY paths, reader
 * options, and constants compiled into generated SQL. Every other value is bound.
 */

/** 'it''s' for it's: a single-quoted literal with every quote doubled. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A comma-separated list of string literals, for IN (…) or a list constant. */
export function sqlStringList(values: readonly string[]): string {
  return values.map(sqlString).join(', ');
}
