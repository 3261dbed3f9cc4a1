/**
 * Reads long-format series from an Arrow IPC stream or file with columns series_id, t and value (any numeric or
 * string types that convert), with the same checks as the CSV reader; "line" in issues is the 1-based row.
 */
import { tableFromIPC } from 'apache-arrow';
import { ValidationError, type InputIssue } from '../errors.js';
import { groupSeriesRows, type NamedSeries, type SeriesRows } from './group-series-rows.js';

export function parseSeriesArrow(bytes: Uint8Array): NamedSeries[] {
  let table;
  try {
    table = tableFromIPC(bytes);
  } catch {
    throw new ValidationError('The body is not a readable Arrow IPC stream.');
  }
  const ids = table.getChild('series_id');
  const ts = table.getChild('t');
  const vs = table.getChild('value');
  if (!ids || !ts || !vs)
    throw new ValidationError('The Arrow table must have the columns series_id, t and value.');
  const issues: InputIssue[] = [];
  const byId = new Map<string, SeriesRows>();
  for (let i = 0; i < table.numRows && issues.length < 20; i++) {
    const line = i + 1;
    const idRaw: unknown = ids.get(i);
    const id = idRaw === null || idRaw === undefined ? '' : String(idRaw);
    const t = Number(ts.get(i));
    const vRaw: unknown = vs.get(i);
    const v = vRaw === null || vRaw === undefined ? NaN : Number(vRaw);
    if (id === '') issues.push({ line, column: 'series_id', reason: 'series_id is empty' });
    else if (!Number.isInteger(t)) issues.push({ line, column: 't', reason: 't is not an integer' });
    else if (!Number.isFinite(v))
      issues.push({ line, column: 'value', reason: `series ${id}: value is not a finite number` });
    else {
      let s = byId.get(id);
      if (!s) byId.set(id, (s = { t: [], v: [], line: [] }));
      s.t.push(t);
      s.v.push(v);
      s.line.push(line);
    }
  }
  const out = groupSeriesRows(byId, issues);
  if (issues.length > 0) throw new ValidationError('The Arrow table has invalid rows.', issues);
  if (out.length === 0) throw new ValidationError('The Arrow table has no rows.');
  return out;
}
