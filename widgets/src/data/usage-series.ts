/**
 * Shapes /v1/usage rows for the usage chart. Conversations (CBP) and messages (PMP) are different units, so they
 * are summed apart and never added: a range across the per-message switch shows one panel per unit.
 */
import { formatNumber, formatPeriod } from '../format.js';
import type { UsageDatum, UsageUnitLabel } from '../specs/usage-chart-spec.js';
import type { UsageRow } from './api-types.js';

export type UsageMode = 'all' | 'free' | 'paid';

export interface UsagePeriod {
  readonly period: string;
  /** 'conversation' or 'message' (as the API names it). */
  readonly unit: string;
  readonly all: number;
  readonly free: number;
  readonly paid: number;
}

const UNIT_ORDER = ['conversation', 'message'];

/** Plural noun of a unit for people. */
export function unitNoun(unit: string, count = 2): string {
  const base = unit === 'message' ? 'message' : unit === 'conversation' ? 'conversation' : 'unit';
  return count === 1 ? base : `${base}s`;
}

const panelLabel = (unit: string): UsageUnitLabel => (unit === 'message' ? 'Messages' : 'Conversations');

/** Sums rows per (period, unit) across group keys, sorted by period, then conversations before messages. */
export function sumUsageByPeriod(rows: readonly UsageRow[]): UsagePeriod[] {
  const by = new Map<string, { period: string; unit: string; all: number; free: number; paid: number }>();
  for (const r of rows) {
    const key = `${r.period}|${r.unit}`;
    const p = by.get(key) ?? { period: r.period, unit: r.unit, all: 0, free: 0, paid: 0 };
    p.all += Number(r.all);
    p.free += Number(r.free);
    p.paid += Number(r.paid);
    by.set(key, p);
  }
  return [...by.values()].sort(
    (a, b) => a.period.localeCompare(b.period) || UNIT_ORDER.indexOf(a.unit) - UNIT_ORDER.indexOf(b.unit),
  );
}

/** The units present, in display order. */
export function unitsOf(periods: readonly UsagePeriod[]): string[] {
  return [...new Set(periods.map((p) => p.unit))].sort(
    (a, b) => UNIT_ORDER.indexOf(a) - UNIT_ORDER.indexOf(b),
  );
}

/** Chart rows: All shows free and paid stacked, Free or Paid only that kind; one panel per unit. */
export function toUsageChartRows(
  periods: readonly UsagePeriod[],
  mode: UsageMode,
  locale: string | undefined,
): UsageDatum[] {
  const order = new Map([...new Set(periods.map((p) => p.period))].sort().map((p, i) => [p, i]));
  const out: UsageDatum[] = [];
  for (const p of periods) {
    const base = {
      order: order.get(p.period) ?? 0,
      label: formatPeriod(p.period, locale),
      unit: panelLabel(p.unit),
    };
    if (mode !== 'paid') out.push({ ...base, kind: 'Free', value: p.free });
    if (mode !== 'free') out.push({ ...base, kind: 'Paid', value: p.paid });
  }
  return out;
}

/** The text alternative of the chart: per unit, totals for the range and the busiest period. */
export function summarizeUsage(
  periods: readonly UsagePeriod[],
  mode: UsageMode,
  locale: string | undefined,
): string {
  if (periods.length === 0) return '';
  const n = (v: number) => formatNumber(v, locale);
  const pick = (p: UsagePeriod) => (mode === 'all' ? p.all : mode === 'free' ? p.free : p.paid);
  const parts = unitsOf(periods).map((unit) => {
    const ps = periods.filter((p) => p.unit === unit);
    const total = ps.reduce((s, p) => s + pick(p), 0);
    const first = formatPeriod(ps[0]!.period, locale);
    const last = formatPeriod(ps[ps.length - 1]!.period, locale);
    const top = ps.reduce((a, b) => (pick(b) > pick(a) ? b : a));
    const what = mode === 'all' ? unitNoun(unit, total) : `${mode} ${unitNoun(unit, total)}`;
    const split =
      mode === 'all'
        ? ` (${n(ps.reduce((s, p) => s + p.free, 0))} free, ${n(ps.reduce((s, p) => s + p.paid, 0))} paid)`
        : '';
    return `${n(total)} ${what}${split} from ${first} to ${last}; highest in ${formatPeriod(top.period, locale)} with ${n(pick(top))}.`;
  });
  return parts.join(' ');
}
