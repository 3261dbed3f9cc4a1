/**
 * Postgres values as the DuckDB store answers them, so that callers see one shape on every store: BIGINT and
 * NUMERIC as exact strings ('12.500000', scale kept), DATE as 'YYYY-MM-DD', TIMESTAMPTZ as Postgres writes it
 * in the session zone the store pins to UTC ('2026-01-02 03:04:05.123456+00', fraction only when non-zero,
 * which is DuckDB's text too), TIMESTAMP likewise without the zone, INTEGER/SMALLINT/DOUBLE as numbers, BOOLEAN
 * as booleans, arrays of those as arrays, anything else as its text. The column types are named with DuckDB's
 * words (BIGINT, DECIMAL(18,6), VARCHAR, TIMESTAMP WITH TIME ZONE, …) for the CSV and Arrow encoders.
 */
import pg from 'pg';

type Parse = (text: string) => unknown;

const asText: Parse = (v) => v;
// pg's typing lists only the scalar type ids; its parsers for array types exist all the same.
const pgParser = pg.types.getTypeParser as (oid: number, format: 'text') => Parse;
const textArray = pgParser(1009, 'text');

const PARSERS: Readonly<Record<number, Parse>> = {
  16: (v) => v === 't',
  21: Number,
  23: Number,
  26: Number,
  700: Number,
  701: Number,
  1000: pgParser(1000, 'text'),
  1005: pgParser(1005, 'text'),
  1007: pgParser(1007, 'text'),
  1021: pgParser(1021, 'text'),
  1022: pgParser(1022, 'text'),
  // Text-like and exact arrays keep their elements as text: int8[], text[], varchar[], numeric[], date[],
  // timestamp[], timestamptz[].
  1009: textArray,
  1015: textArray,
  1016: textArray,
  1182: textArray,
  1115: textArray,
  1185: textArray,
  1231: textArray,
};

/** The text-format parser the store installs on every connection (pg's `types.getTypeParser`). */
export function parserFor(oid: number): Parse {
  return PARSERS[oid] ?? asText;
}

const NAMES: Readonly<Record<number, string>> = {
  16: 'BOOLEAN',
  17: 'BLOB',
  20: 'BIGINT',
  21: 'SMALLINT',
  23: 'INTEGER',
  25: 'VARCHAR',
  26: 'UINTEGER',
  114: 'JSON',
  700: 'FLOAT',
  701: 'DOUBLE',
  1000: 'BOOLEAN[]',
  1005: 'SMALLINT[]',
  1007: 'INTEGER[]',
  1009: 'VARCHAR[]',
  1015: 'VARCHAR[]',
  1016: 'BIGINT[]',
  1042: 'VARCHAR',
  1043: 'VARCHAR',
  1082: 'DATE',
  1083: 'TIME',
  1114: 'TIMESTAMP',
  1182: 'DATE[]',
  1184: 'TIMESTAMP WITH TIME ZONE',
  1185: 'TIMESTAMP WITH TIME ZONE[]',
  1186: 'INTERVAL',
  1231: 'DECIMAL[]',
  1266: 'TIME WITH TIME ZONE',
  2950: 'UUID',
  3802: 'JSON',
};

const NUMERIC = 1700;

/**
 * DuckDB's name for a column of type `oid` with modifier `typmod`. A NUMERIC column with declared precision is
 * DECIMAL(p,s); an unconstrained one (sum(), arithmetic) is plain DECIMAL, its values still exact. A type
 * without a DuckDB counterpart answers its text and is named VARCHAR.
 */
export function typeName(oid: number, typmod: number): string {
  if (oid === NUMERIC) {
    if (typmod < 4) return 'DECIMAL';
    const m = typmod - 4;
    return `DECIMAL(${(m >> 16) & 0xffff},${m & 0xffff})`;
  }
  return NAMES[oid] ?? 'VARCHAR';
}
