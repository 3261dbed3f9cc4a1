/**
 * Shapes /v1/usage rows for the usage chart. Conversations (CBP) and messages (PMP) are different units, so they
 * are summed apart and never added: a range across the per-message switch shows one panel per unit.
 */
import type { Translate } from '../catalogue.js';
import { formatNumber, formatPeriod } from '../format.js';
import type { ChartTexts } from '../specs/chart-text.js';
import type { UsageDatum } from '../specs/usage-chart-spec.js';
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

/** The noun of a unit for people, in the plural form `count` needs. */
export function unitNoun(t: Translate, unit: string, count = 2): string {
  return t.plural(unit === 'message' ? 'unitMessage' : 'unitConversation', count);
}

/** The panel (and table) name of a unit. */
export function unitPanel(t: Translate, unit: string): string {
  return t(unit === 'message' ? 'panelMessages' : 'panelConversations');
}

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

/**
 * Chart rows: All shows free and paid stacked, Free or Paid only that kind; one panel per unit. The `partial`
 * period (still running) is marked, and its tooltip says how far it goes (`partial.note`).
 */
export function toUsageChartRows(
  periods: readonly UsagePeriod[],
  mode: UsageMode,
  locale: string | undefined,
  texts: Pick<ChartTexts, 'free' | 'paid' | 'conversations' | 'messages'>,
  partial: { readonly period: string; readonly note: string } | null = null,
): UsageDatum[] {
  const order = new Map([...new Set(periods.map((p) => p.period))].sort().map((p, i) => [p, i]));
  const out: UsageDatum[] = [];
  for (const p of periods) {
    const label = formatPeriod(p.period, locale);
    const running = partial?.period === p.period;
    const base = {
      order: order.get(p.period) ?? 0,
      label,
      tip: running ? `${label} · ${partial.note}` : label,
      partial: running,
      unit: p.unit === 'message' ? texts.messages : texts.conversations,
    };
    if (mode !== 'paid') out.push({ ...base, kind: texts.free, stack: 0, value: p.free });
    if (mode !== 'free') out.push({ ...base, kind: texts.paid, stack: 1, value: p.paid });
  }
  return out;
}

/** The text alternative of the chart: per unit, totals for the range and the busiest period. */
export function summarizeUsage(periods: readonly UsagePeriod[], mode: UsageMode, t: Translate): string {
  if (periods.length === 0) return '';
  const locale = t.locale;
  const n = (v: number) => formatNumber(v, locale);
  const pick = (p: UsagePeriod) => (mode === 'all' ? p.all : mode === 'free' ? p.free : p.paid);
  const parts = unitsOf(periods).map((unit) => {
    const ps = periods.filter((p) => p.unit === unit);
    const total = ps.reduce((s, p) => s + pick(p), 0);
    const top = ps.reduce((a, b) => (pick(b) > pick(a) ? b : a));
    const key =
      mode === 'all' ? 'usageSummaryAll' : mode === 'free' ? 'usageSummaryFree' : 'usageSummaryPaid';
    return t(key, {
      total: n(total),
      unit: unitNoun(t, unit, total),
      free: n(ps.reduce((s, p) => s + p.free, 0)),
      paid: n(ps.reduce((s, p) => s + p.paid, 0)),
      first: formatPeriod(ps[0]!.period, locale),
      last: formatPeriod(ps[ps.length - 1]!.period, locale),
      top: formatPeriod(top.period, locale),
      topValue: n(pick(top)),
    });
  });
  return parts.join(' ');
}
