/**
 * Orders long-format rows of each series by t and checks that t runs without repeats or gaps, adding an issue
 * (with the source line) for each violation. Shared by the CSV and Arrow readers.
 *
 * @example
 * groupSeriesRows(new Map([['a', { t: [2, 1], v: [20, 10], line: [2, 3] }]]), []);
 * // => [{ id: 'a', values: [10, 20] }]
 */
import type { InputIssue } from '../errors.js';

export interface NamedSeries {
  id: string;
  values: number[];
}

/** Rows of one series in input order: time index, value and source line. */
export interface SeriesRows {
  t: number[];
  v: number[];
  line: number[];
}

export function groupSeriesRows(
  byId: ReadonlyMap<string, SeriesRows>,
  issues: InputIssue[],
  maxIssues = 20,
): NamedSeries[] {
  const out: NamedSeries[] = [];
  for (const [id, s] of byId) {
    const order = s.t.map((_, i) => i);
    let sorted = true;
    for (let i = 1; i < s.t.length; i++) if (s.t[i]! < s.t[i - 1]!) sorted = false;
    if (!sorted) order.sort((a, b) => s.t[a]! - s.t[b]!);
    for (let k = 1; k < order.length && issues.length < maxIssues; k++) {
      const prev = s.t[order[k - 1]!]!;
      const cur = s.t[order[k]!]!;
      const line = s.line[order[k]!]!;
      if (cur === prev) issues.push({ line, column: 't', reason: `series ${id}: t = ${cur} appears twice` });
      else if (cur !== prev + 1)
        issues.push({ line, column: 't', reason: `series ${id}: gap in t from ${prev} to ${cur}` });
    }
    out.push({ id, values: order.map((i) => s.v[i]!) });
  }
  return out;
}
