/**
 * Reads the column names from the first line of a CSV file, so DuckDB can read it without sniffing, and refuses
 * by name what would otherwise fail later without a clear cause: a header that is not UTF-8, has no line end
 * within CSV_HEAD_BYTES, ends its lines with CR alone, or names more than MAX_CSV_COLUMNS columns.
 */
import { BatchRejectedError } from '../errors.js';
import { readCsv } from '../kernel/csv-reader.js';

/** How much of the file the header is read from. */
export const CSV_HEAD_BYTES = 65_536;
/** 27 columns are known; a few hundred extra ones are tolerated and ignored, thousands are refused. */
export const MAX_CSV_COLUMNS = 500;

const refuse = (reason: string): never => {
  throw new BatchRejectedError('The CSV header cannot be read; nothing was written.', [{ line: 0, reason }], {
    total_issues: 1,
  });
};

/** The header's column names from the first CSV_HEAD_BYTES of the file (`complete` when that is all of it). */
export function readCsvHeader(head: Uint8Array, complete: boolean): string[] {
  const lf = head.indexOf(0x0a);
  const cr = head.indexOf(0x0d);
  if (cr >= 0 && (lf < 0 || cr < lf) && head[cr + 1] !== 0x0a)
    refuse('lines end with CR alone; use LF or CRLF line endings');
  if (lf < 0 && !complete) refuse(`the header line is longer than ${CSV_HEAD_BYTES} bytes`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, lf < 0 ? head.length : lf));
  } catch {
    return refuse('the header line is not valid UTF-8');
  }
  const names = parseCsvHeader(text);
  if (names.length > MAX_CSV_COLUMNS)
    refuse(`the header names ${names.length} columns; at most ${MAX_CSV_COLUMNS} are accepted`);
  return names;
}

/** The column names of a header line (quotes as in RFC 4180). */
export function parseCsvHeader(head: string): string[] {
  const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const names = (readCsv(firstLine)[0]?.fields ?? ['']).map((n) => n.trim());
  return names.filter((n, i) => n !== '' || i < names.length - 1);
}
