/**
 * Billing-unit records as the intake keeps them between acceptance and derivation: the text of every §9.2 column
 * exactly as the synchronous ingest stages it (stage-units.ts), '' for a missing value. Derived as column arrays
 * (stagedColumnsSource), they are read, typed and checked as the staged text of the original file would be.
 */
import type { ColumnarResult } from '../db/db.js';
import type { StagedColumns } from '../ingest/stage-units.js';
import { UNIT_COLUMNS, type UnitColumn } from '../ingest/unit-columns.js';

/** Column → values, all of one length; a column with no value in any record is left out. */
export type RecordColumns = Partial<Record<UnitColumn, string[]>>;

/** The staged rows (a SELECT of UNIT_COLUMNS as VARCHAR, in line order) as columns. */
export function recordColumnsOf(staged: ColumnarResult): { columns: RecordColumns; rows: number } {
  const columns: RecordColumns = {};
  for (const c of UNIT_COLUMNS) {
    const values = staged.rows.map((r) => (typeof r[c] === 'string' ? r[c] : ''));
    if (values.some((v) => v !== '')) columns[c] = values;
  }
  return { columns, rows: staged.rows.length };
}

/** The records at `positions`, in that order. */
export function pickRecords(columns: RecordColumns, positions: readonly number[]): RecordColumns {
  const out: RecordColumns = {};
  for (const [c, values] of Object.entries(columns) as [UnitColumn, string[]][])
    out[c] = positions.map((i) => values[i] ?? '');
  return out;
}

/** Several entries' records one after the other, as one batch (a column one entry lacks is missing there). */
export function concatRecords(parts: readonly RecordColumns[]): StagedColumns {
  const lengths = parts.map((p) => Object.values(p)[0]?.length ?? 0);
  const out: Partial<Record<UnitColumn, string[]>> = {};
  for (const c of UNIT_COLUMNS) {
    if (!parts.some((p) => p[c])) continue;
    out[c] = parts.flatMap((p, i) => p[c] ?? new Array<string>(lengths[i] ?? 0).fill(''));
  }
  return out;
}

const hex = (buf: ArrayBuffer) =>
  Array.from(new Uint8Array(buf).subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The dedupe key of each record: its unit_id (the key the store merges on) and a digest of every field, so that
 * the same record again is a duplicate while a changed record of a known unit passes on to the store, which
 * updates the unit as the bulk path does.
 */
export async function recordKeys(columns: RecordColumns, rows: number): Promise<string[]> {
  const present = Object.entries(columns) as [UnitColumn, string[]][];
  const encoder = new TextEncoder();
  return Promise.all(
    Array.from({ length: rows }, async (_, i) => {
      const fields = JSON.stringify(present.map(([c, v]) => [c, v[i] ?? '']));
      const digest = await crypto.subtle.digest('SHA-256', encoder.encode(fields));
      return `u ${columns.unit_id?.[i] ?? ''} ${hex(digest)}`;
    }),
  );
}
