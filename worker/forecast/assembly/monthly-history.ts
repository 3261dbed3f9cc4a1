/**
 * Monthly usage and charges history per phone number for the forecast API, read from the usage_monthly rollup
 * (the usage_daily rollup summed by month; counted units only). Periods are local months in the WABA's time
 * zone; the current, incomplete month is left out so a partial month does not read as a drop.
 */
import type { Queryable } from '../../db/db.js';
import { addMonths } from '../../kernel/calendar.js';
import { addDecimal } from '../../kernel/money.js';
import { ALLOWANCE_RULE } from '../../pricing/allowance-rule.js';

export interface MonthPoint {
  readonly period: string;
  readonly all: number;
  readonly free: number;
  readonly paid: number;
  /** Paid units nothing priced (left out of amount). */
  readonly unpriced?: number;
  /** Σ amount of paid units, decimal string. */
  readonly amount: string;
  readonly unit: string | null;
  /**
   * The part of the month in the categories of the per-number free allowance (allowance-rule.ts: service):
   * counted, paid and unpriced units and their amount. The charges forecast prices it by the rules of each
   * forecast month instead of extrapolating its amount.
   */
  readonly allowance?: { all: number; paid: number; unpriced: number; amount: string };
}

export interface NumberHistory {
  readonly phone_number_id: string;
  /** Contiguous complete months, zero-filled, from this number's first month with units. */
  readonly months: MonthPoint[];
}

interface Row {
  phone_number_id: string;
  period: string;
  unit: string;
  n_all: string;
  n_free: string;
  n_paid: string;
  n_unpriced: string;
  amount: string;
  a_all: string | null;
  a_paid: string | null;
  a_unpriced: string | null;
  a_amount: string | null;
}

/** Complete-month history of each given number of one WABA, before `currentMonth` ('YYYY-MM'). */
export async function loadMonthlyHistory(
  db: Queryable,
  wabaId: string,
  phoneNumberIds: readonly string[],
  currentMonth: string,
  /** The monthly rollup read (a replica that is not the usage source reads its copy of the published one). */
  monthly = 'usage_monthly',
): Promise<NumberHistory[]> {
  const rows = await db.all<Row>(
    `SELECT phone_number_id, strftime(local_month, '%Y-%m') AS period, unit,
            sum(n_all) AS n_all, sum(n_free) AS n_free, sum(n_paid) AS n_paid,
            sum(n_unpriced) AS n_unpriced, sum(amount) AS amount,
            sum(n_all) FILTER (WHERE list_contains($cats, category)) AS a_all,
            sum(n_paid) FILTER (WHERE list_contains($cats, category)) AS a_paid,
            sum(n_unpriced) FILTER (WHERE list_contains($cats, category)) AS a_unpriced,
            sum(amount) FILTER (WHERE list_contains($cats, category)) AS a_amount
       FROM ${monthly}
      WHERE waba_id = $waba AND list_contains($phones, phone_number_id)
        AND local_month < CAST($current AS DATE)
      GROUP BY ALL ORDER BY phone_number_id, period, unit`,
    {
      waba: wabaId,
      phones: [...phoneNumberIds],
      current: `${currentMonth}-01`,
      cats: [...ALLOWANCE_RULE.categories],
    },
  );
  return phoneNumberIds.map((id) => {
    const byPeriod = new Map<string, MonthPoint>();
    for (const r of rows.filter((x) => x.phone_number_id === id)) {
      const prev = byPeriod.get(r.period);
      const all = Number(r.n_all);
      // A month mixing conversations and messages (the PMP switch) is labelled by its larger share.
      const unit = prev && prev.all >= all ? prev.unit : r.unit;
      byPeriod.set(r.period, {
        period: r.period,
        all: (prev?.all ?? 0) + all,
        free: (prev?.free ?? 0) + Number(r.n_free),
        paid: (prev?.paid ?? 0) + Number(r.n_paid),
        unpriced: (prev?.unpriced ?? 0) + Number(r.n_unpriced),
        amount: prev ? addDecimal(prev.amount, r.amount) : r.amount,
        unit,
        allowance: {
          all: (prev?.allowance?.all ?? 0) + Number(r.a_all ?? 0),
          paid: (prev?.allowance?.paid ?? 0) + Number(r.a_paid ?? 0),
          unpriced: (prev?.allowance?.unpriced ?? 0) + Number(r.a_unpriced ?? 0),
          amount: addDecimal(prev?.allowance?.amount ?? '0', r.a_amount ?? '0'),
        },
      });
    }
    const periods = [...byPeriod.keys()].sort();
    const months: MonthPoint[] = [];
    if (periods.length > 0) {
      for (let p = periods[0]!; p < currentMonth; p = addMonths(p, 1))
        months.push(byPeriod.get(p) ?? { period: p, all: 0, free: 0, paid: 0, amount: '0', unit: null });
    }
    return { phone_number_id: id, months };
  });
}
