/** Decodes an Arrow IPC stream of billing-unit records into string columns for staging. */
import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import { BatchRejectedError } from '../errors.js';
import type { StagedColumns } from './stage-units.js';
import { UNIT_COLUMNS, type UnitColumn } from './unit-columns.js';

function text(v: unknown, type: DataType): string {
  if (v === null || v === undefined) return '';
  // Arrow hands timestamps and dates back as epoch milliseconds whatever the stored unit.
  if (DataType.isTimestamp(type) || DataType.isDate(type)) return new Date(Number(v)).toISOString();
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** The known §9.2 columns of the stream as strings ('' = null); throws 422 for bytes that are not Arrow IPC. */
export function decodeArrowColumns(bytes: Uint8Array): { columns: StagedColumns; rows: number } {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new BatchRejectedError('The batch could not be parsed; nothing was written.', [
      { reason: `malformed ARROW: ${err instanceof Error ? err.message.slice(0, 200) : 'unreadable'}` },
    ]);
  }
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
}
