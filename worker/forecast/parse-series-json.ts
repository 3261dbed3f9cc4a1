/**
 * Parses series sent as JSON, beside the CSV and Arrow series parsers: either plain `values`, or monthly `points`
 * dated 'YYYY-MM' in whatever order, that must cover consecutive months once each.
 */
import { ValidationError, type InputIssue } from '../errors.js';
import { monthAtIndex, monthIndex } from '../kernel/calendar.js';
import type { NamedSeries } from './group-series-rows.js';

/** One series as the JSON body gives it (null stands for a non-finite number, which JSON cannot carry). */
export type JsonSeries =
  | { readonly id: string; readonly values: readonly (number | null)[] }
  | {
      readonly id: string;
      readonly points: readonly { readonly period: string; readonly value: number | null }[];
    };

/**
 * Turns series given as JSON into plain value arrays; throws ValidationError listing every non-finite value (null
 * in JSON) and every repeated or missing month. `lastMonth` is the month index (kernel/calendar.ts) of each
 * dated series' last point, null for plain `values`.
 */
export function parseSeriesJson(input: readonly JsonSeries[]): {
  series: NamedSeries[];
  lastMonth: (number | null)[];
} {
  const issues: InputIssue[] = [];
  const series: NamedSeries[] = [];
  const lastMonth: (number | null)[] = [];
  input.forEach((s, i) => {
    if ('values' in s) {
      s.values.forEach((v, k) => {
        if (v === null)
          issues.push({
            column: `series.${i}.values.${k}`,
            reason: `series ${s.id}: value at index ${k} is not a finite number`,
          });
      });
      series.push({ id: s.id, values: s.values.map((v) => v ?? NaN) });
      lastMonth.push(null);
      return;
    }
    const pts = s.points
      .map((p, k) => ({ m: monthIndex(p.period), v: p.value, k }))
      .sort((a, b) => a.m - b.m);
    pts.forEach((p, j) => {
      if (p.v === null)
        issues.push({
          column: `series.${i}.points.${p.k}.value`,
          reason: `series ${s.id}: value at index ${p.k} is not a finite number`,
        });
      const prev = pts[j - 1];
      if (prev && p.m !== prev.m + 1)
        issues.push({
          column: `series.${i}.points.${p.k}.period`,
          reason: `series ${s.id}: ${p.m === prev.m ? 'repeated' : 'gap before'} period ${monthAtIndex(p.m)}`,
        });
    });
    series.push({ id: s.id, values: pts.map((p) => p.v ?? NaN) });
    lastMonth.push(pts.length > 0 ? pts[pts.length - 1]!.m : null);
  });
  if (issues.length > 0) throw new ValidationError('Some series are not valid.', issues.slice(0, 50));
  return { series, lastMonth };
}
