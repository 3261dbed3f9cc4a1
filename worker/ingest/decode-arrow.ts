/** Decodes an Arrow IPC stream of billing-unit records into string columns for staging. */
import { DataType, tableFromIPC, util, type Decimal } from 'apache-arrow';
import { BatchRejectedError } from '../errors.js';
import type { StagedColumns } from './stage-units.js';
import { UNIT_COLUMNS, type UnitColumn } from './unit-columns.js';

/** JavaScript dates reach ±8.64e15 ms; beyond, the raw number is kept and the timestamp check names it. */
const MAX_DATE_MS = 8.64e15;

/** A decimal's unscaled integer with its scale applied, as exact text (String() would drop the scale). */
function decimalText(v: unknown, scale: number): string {
  const n = util.bigNumToBigInt(v as Parameters<typeof util.bigNumToBigInt>[0]);
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const body = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${body}` : body;
}

function text(v: unknown, type: DataType): string {
  if (v === null || v === undefined) return '';
  // Arrow hands timestamps and dates back as epoch milliseconds whatever the stored unit.
  if (DataType.isTimestamp(type) || DataType.isDate(type)) {
    const ms = Number(v);
    return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : String(v);
  }
  if (DataType.isDecimal(type)) return decimalText(v, (type as Decimal).scale);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'invalid date' : v.toISOString();
  return String(v);
}

/** The known §9.2 columns of the stream as strings ('' = null); throws 422 for bytes that are not Arrow IPC. */
export function decodeArrowColumns(bytes: Uint8Array): { columns: StagedColumns; rows: number } {
  // Arrow decodes lazily: a damaged body can fail while its values are read, so both steps are guarded.
  try {
    const table = tableFromIPC(bytes);
    const columns: StagedColumns = {};
    for (const name of UNIT_COLUMNS) {
      const field = table.schema.fields.find((f) => f.name === name);
      const vector = table.getChild(name);
      if (!field || !vector) continue;
      const out = new Array<string>(table.numRows);
      for (let i = 0; i < table.numRows; i++) out[i] = text(vector.get(i), field.type);
      columns[name as UnitColumn] = out;
    }
    return { columns, rows: table.numRows };
  } catch (err) {
    throw new BatchRejectedError('The batch could not be parsed; nothing was written.', [
      { reason: `malformed ARROW: ${err instanceof Error ? err.message.slice(0, 200) : 'unreadable'}` },
    ]);
  }
}
