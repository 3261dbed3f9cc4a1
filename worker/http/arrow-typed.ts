/**
 * Arrow IPC stream with the same column types as DuckDB's: integers Int64, DECIMAL(p,s) Decimal128 (exact, from
 * the decimal string), DATE Date32, TIMESTAMP / TIMESTAMPTZ Timestamp(µs, UTC for TIMESTAMPTZ), DOUBLE Float64,
 * BOOLEAN Bool, everything else Utf8. NULL stays NULL in every type. The table's metadata goes into the schema's
 * custom metadata.
 */
import {
  Bool,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
  tableToIPC,
  type Data,
  type DataType,
} from 'apache-arrow';
import type { ColumnarResult } from '../db/db.js';

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT)$/;

export function toTypedArrowIpc(
  result: ColumnarResult,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const fields: Field[] = [];
  const children: Data[] = [];
  result.names.forEach((name, i) => {
    const type = (result.types[i] ?? 'VARCHAR').toUpperCase();
    const values = result.rows.map((r) => r[name] ?? null);
    const data = columnData(type, values);
    fields.push(new Field(name, data.type as DataType, true));
    children.push(data);
  });
  const schema = new Schema(fields, new Map(Object.entries(metadata)));
  const length = result.rows.length;
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length, nullCount: 0, children }),
  );
  return tableToIPC(new Table([batch]), 'stream');
}

function columnData(type: string, values: readonly unknown[]): Data {
  if (INTEGER.test(type)) return vectorFromArray(values.map(toBigInt), new Int64()).data[0] as Data;
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return decimalData(Number(decimal[1]), Number(decimal[2]), values);
  if (type === 'DATE')
    return vectorFromArray(
      values.map((v) => (v === null ? null : new Date(`${String(v)}T00:00:00Z`))),
      new DateDay(),
    ).data[0] as Data;
  if (type === 'TIMESTAMP' || type === 'TIMESTAMP WITH TIME ZONE')
    return timestampData(new TimestampMicrosecond(type === 'TIMESTAMP' ? null : 'UTC'), values);
  if (type === 'DOUBLE' || type === 'FLOAT' || type === 'REAL')
    return vectorFromArray(
      values.map((v) => (v === null ? null : Number(v))),
      new Float64(),
    ).data[0] as Data;
  if (type === 'BOOLEAN')
    return vectorFromArray(
      values.map((v) => (v === null ? null : Boolean(v))),
      new Bool(),
    ).data[0] as Data;
  return vectorFromArray(
    values.map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v))),
    new Utf8(),
  ).data[0] as Data;
}

function toBigInt(v: unknown): bigint | null {
  return v === null ? null : BigInt(String(v));
}

/** Decimal128 words, little-endian, two's complement, from exact decimal strings. */
function decimalData(precision: number, scale: number, values: readonly unknown[]): Data {
  const words = new Uint32Array(values.length * 4);
  const { nullBitmap, nullCount } = eachValid(values, (v, i) => {
    const u = BigInt.asUintN(128, scaled(v, scale));
    for (let w = 0; w < 4; w++) words[i * 4 + w] = Number((u >> BigInt(32 * w)) & 0xffffffffn);
  });
  return makeData({
    type: new Decimal(scale, precision, 128),
    length: values.length,
    nullCount,
    nullBitmap,
    data: words,
  });
}

/** Timestamps as µs in a BigInt64Array (vectorFromArray takes only milliseconds as numbers). */
function timestampData(type: TimestampMicrosecond, values: readonly unknown[]): Data {
  const data = new BigInt64Array(values.length);
  const { nullBitmap, nullCount } = eachValid(values, (v, i) => {
    data[i] = micros(v);
  });
  return makeData({ type, length: values.length, nullCount, nullBitmap, data });
}

/** Calls `write` for every non-NULL value (as text) and returns the validity bitmap Arrow wants with it. */
function eachValid(
  values: readonly unknown[],
  write: (text: string, i: number) => void,
): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) {
      nullCount += 1;
      return;
    }
    nullBitmap[i >> 3]! |= 1 << (i & 7);
    write(String(v), i);
  });
  return { nullBitmap, nullCount };
}

/** '12.5' at scale 6 → 12500000n, exactly. */
export function scaled(s: string, scale: number): bigint {
  const neg = s.startsWith('-');
  const [int = '0', frac = ''] = (neg ? s.slice(1) : s).split('.');
  const digits = BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
  return neg ? -digits : digits;
}

/** DuckDB's timestamp text ('2025-08-01 10:00:00.123456+00' or without zone) → µs since the epoch. */
function micros(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$/.exec(text);
  if (!m) throw new Error(`unexpected timestamp text ${text}`);
  const zone = m[4] === undefined || m[4] === 'Z' ? 'Z' : m[4].length === 3 ? `${m[4]}:00` : m[4];
  const ms = BigInt(Date.parse(`${m[1]}T${m[2]}${zone}`));
  const frac = BigInt((m[3] ?? '.').slice(1).padEnd(6, '0').slice(0, 6) || '0');
  return ms * 1000n + frac;
}
