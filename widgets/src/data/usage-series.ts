/** Shapes /v1/usage rows for the usage chart: one total per period, then rows per visible kind. */
import { formatNumber, formatPeriod } from '../format.js';
import type { UsageDatum } from '../specs/usage-chart-spec.js';
import type { UsageRow } from './api-types.js';

export type UsageMode = 'all' | 'free' | 'paid';

export interface UsagePeriod {
  readonly period: string;
  readonly all: number;
  readonly free: number;
  readonly paid: number;
}

/** Sums rows per period (across units and group keys), sorted by period. */
export function sumUsageByPeriod(rows: readonly UsageRow[]): UsagePeriod[] {
  const by = new Map<string, { period: string; all: number; free: number; paid: number }>();
  for (const r of rows) {
    const p = by.get(r.period) ?? { period: r.period, all: 0, free: 0, paid: 0 };
    p.all += Number(r.all);
    p.free += Number(r.free);
    p.paid += Number(r.paid);
    by.set(r.period, p);
  }
  return [...by.values()].sort((a, b) => a.period.localeCompare(b.period));
}

/** Chart rows: All shows free and paid stacked, Free or Paid only that kind. */
export function toUsageChartRows(
  periods: readonly UsagePeriod[],
  mode: UsageMode,
  locale: string | undefined,
): UsageDatum[] {
  const out: UsageDatum[] = [];
  periods.forEach((p, order) => {
    const label = formatPeriod(p.period, locale);
    if (mode !== 'paid') out.push({ order, label, kind: 'Free', value: p.free });
    if (mode !== 'free') out.push({ order, label, kind: 'Paid', value: p.paid });
  });
  return out;
}

/** The text alternative of the chart: totals for the range and the busiest period. */
export function summarizeUsage(
  periods: readonly UsagePeriod[],
  mode: UsageMode,
  locale: string | undefined,
): string {
  if (periods.length === 0) return '';
  const n = (v: number) => formatNumber(v, locale);
  const pick = (p: UsagePeriod) => (mode === 'all' ? p.all : mode === 'free' ? p.free : p.paid);
  const total = periods.reduce((s, p) => s + pick(p), 0);
  const first = formatPeriod(periods[0]!.period, locale);
  const last = formatPeriod(periods[periods.length - 1]!.period, locale);
  const top = periods.reduce((a, b) => (pick(b) > pick(a) ? b : a));
  const what = mode === 'all' ? 'billable units' : `${mode} units`;
  const split =
    mode === 'all'
      ? ` (${n(periods.reduce((s, p) => s + p.free, 0))} free, ${n(periods.reduce((s, p) => s + p.paid, 0))} paid)`
      : '';
  return `${n(total)} ${what}${split} from ${first} to ${last}; highest in ${formatPeriod(top.period, locale)} with ${n(pick(top))}.`;
}
