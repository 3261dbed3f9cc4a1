/**
 * Month arithmetic of the forecast history: the WABA total of its numbers' months, and the rate per paid unit of
 * the latest priced month. Both leave the per-number allowance's categories (allowance-rule.ts) apart where the
 * charges forecast prices those by rule.
 */
import { fromMicros, toMicros } from '../../kernel/money.js';
import type { MonthPoint, NumberHistory } from './monthly-history.js';

/** Paid units outside the allowance's categories. */
export function paidOutsideAllowance(m: MonthPoint): number {
  return m.paid - (m.allowance?.paid ?? 0);
}

/**
 * Average amount per priced paid unit of the latest month with priced paid units, or null; with `outside`, over
 * the paid units outside the allowance's categories only.
 */
export function effectiveRate(
  months: readonly MonthPoint[],
  outside = false,
): { rate: number; month: string } | null {
  for (let i = months.length - 1; i >= 0; i--) {
    const m = months[i]!;
    const a = outside ? m.allowance : undefined;
    // Unpriced paid units are not in the amount: counting them would understate the rate.
    const priced = m.paid - (m.unpriced ?? 0) - (a ? a.paid - a.unpriced : 0);
    const amount = toMicros(m.amount) - (a ? toMicros(a.amount) : 0n);
    if (priced > 0) return { rate: Number(fromMicros(amount)) / priced, month: m.period };
  }
  return null;
}

/** The months of several numbers summed by period (a month's unit is the one most of its units were in). */
export function totalOf(histories: readonly NumberHistory[]): MonthPoint[] {
  const by = new Map<string, { p: Sums; conversations: number; messages: number }>();
  for (const m of histories.flatMap((h) => h.months)) {
    const t = by.get(m.period) ?? {
      p: {
        all: 0,
        free: 0,
        paid: 0,
        unpriced: 0,
        amount: 0n,
        a: { all: 0, paid: 0, unpriced: 0, amount: 0n },
      },
      conversations: 0,
      messages: 0,
    };
    const a = m.allowance;
    by.set(m.period, {
      p: {
        all: t.p.all + m.all,
        free: t.p.free + m.free,
        paid: t.p.paid + m.paid,
        unpriced: t.p.unpriced + (m.unpriced ?? 0),
        amount: t.p.amount + toMicros(m.amount),
        a: {
          all: t.p.a.all + (a?.all ?? 0),
          paid: t.p.a.paid + (a?.paid ?? 0),
          unpriced: t.p.a.unpriced + (a?.unpriced ?? 0),
          amount: t.p.a.amount + toMicros(a?.amount ?? '0'),
        },
      },
      conversations: t.conversations + (m.unit === 'conversation' ? m.all : 0),
      messages: t.messages + (m.unit === 'message' ? m.all : 0),
    });
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([period, t]) => ({
      period,
      all: t.p.all,
      free: t.p.free,
      paid: t.p.paid,
      unpriced: t.p.unpriced,
      amount: fromMicros(t.p.amount),
      unit:
        t.conversations + t.messages === 0 ? null : t.conversations > t.messages ? 'conversation' : 'message',
      allowance: { ...t.p.a, amount: fromMicros(t.p.a.amount) },
    }));
}

interface Sums {
  all: number;
  free: number;
  paid: number;
  unpriced: number;
  amount: bigint;
  a: { all: number; paid: number; unpriced: number; amount: bigint };
}
