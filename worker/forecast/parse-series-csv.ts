/**
 * Parses long-format series CSV (`series_id,t,value`, header required, columns in any order, extra columns
 * ignored) into series ordered by first appearance, values ordered by t. Rejects, with the 1-based line and the
 * reason, rows with a missing id, a non-integer t, a non-finite value, a repeated t or a gap in t (at most 20
 * issues are reported).
 */
import { ValidationError, type InputIssue } from '../errors.js';
import { readCsv } from '../kernel/csv-reader.js';
import { groupSeriesRows, type NamedSeries, type SeriesRows } from './group-series-rows.js';

export type { NamedSeries } from './group-series-rows.js';

/** Parses the CSV text; throws ValidationError listing the bad lines. */
export function parseSeriesCsv(text: string): NamedSeries[] {
  const [head, ...records] = readCsv(text);
  const header = (head?.fields ?? []).map((h) => h.trim().toLowerCase());
  const iId = header.indexOf('series_id');
  const iT = header.indexOf('t');
  const iV = header.indexOf('value');
  if (iId < 0 || iT < 0 || iV < 0)
    throw new ValidationError('The CSV header must name the columns series_id, t and value.', [
      { line: 1, reason: `header is "${head?.fields.join(',') ?? ''}"` },
    ]);
  const issues: InputIssue[] = [];
  const byId = new Map<string, SeriesRows>();
  for (const { line, fields: cells } of records) {
    if (issues.length >= 20) break;
    if (cells.every((c) => c.trim() === '')) continue;
    const id = (cells[iId] ?? '').trim();
    const tText = (cells[iT] ?? '').trim();
    const vText = (cells[iV] ?? '').trim();
    if (cells.length < header.length)
      issues.push({ line, reason: `expected ${header.length} fields, got ${cells.length}` });
    else if (id === '') issues.push({ line, column: 'series_id', reason: 'series_id is empty' });
    else if (!/^-?\d+$/.test(tText))
      issues.push({ line, column: 't', reason: `t "${tText}" is not an integer` });
    else if (vText === '' || !Number.isFinite(Number(vText)))
      issues.push({ line, column: 'value', reason: `value "${vText}" is not a finite number` });
    else {
      let s = byId.get(id);
      if (!s) byId.set(id, (s = { t: [], v: [], line: [] }));
      s.t.push(Number(tText));
      s.v.push(Number(vText));
      s.line.push(line);
    }
  }
  const out = groupSeriesRows(byId, issues);
  if (issues.length > 0) throw new ValidationError('The CSV has invalid rows.', issues);
  if (out.length === 0)
    throw new ValidationError('The CSV has no data rows.', [{ line: 2, reason: 'no data rows' }]);
  return out;
}
