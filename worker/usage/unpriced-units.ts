/**
 * Paid units that no rate card and no record priced (amount NULL, counted as n_unpriced in the rollups). The
 * charges answers, the statement, the alert and the admin listing all describe them the same way: how many, in
 * which markets and categories, and one sentence saying so, because an amount that leaves them out is not
 * the whole charge.
 */
import type { Queryable } from '../db/db.js';
import { OWN_ROLLUPS, type RollupTables } from './rollup-tables.js';

export interface UnpricedGroup {
  readonly market: string | null;
  readonly category: string;
  readonly unit: string;
  readonly currency: string;
  readonly count: number;
}

export interface UnpricedUnits {
  /** Paid units left out of the amounts. */
  readonly count: number;
  readonly by: UnpricedGroup[];
  /** "N paid messages could not be priced." — null when every paid unit was priced. */
  readonly message: string | null;
}

/** The sentence shown wherever amounts leave unpriced units out; null when there are none. */
export function unpricedMessage(groups: readonly { unit: string; count: number }[]): string | null {
  const byUnit = new Map<string, number>();
  for (const g of groups) byUnit.set(g.unit, (byUnit.get(g.unit) ?? 0) + g.count);
  const parts = [...byUnit.entries()]
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a === 'message' ? -1 : b === 'message' ? 1 : 0))
    .map(([unit, n]) => `${n} paid ${unit}${n === 1 ? '' : 's'}`);
  if (parts.length === 0) return null;
  const total = [...byUnit.values()].reduce((a, b) => a + b, 0);
  return `${parts.join(' and ')} could not be priced (no rate card or record rate for ${
    total === 1 ? 'its' : 'their'
  } market and category); the amounts leave ${total === 1 ? 'it' : 'them'} out.`;
}

function summarize(
  rows: readonly (Omit<UnpricedGroup, 'count'> & { count: string | number })[],
): UnpricedUnits {
  const by = rows.map((r) => ({ ...r, count: Number(r.count) }));
  return { count: by.reduce((s, g) => s + g.count, 0), by, message: unpricedMessage(by) };
}

/** Unpriced paid units of the given numbers over WABA-local days [fromDay, toDay] ('YYYY-MM-DD'). */
export async function loadUnpricedUnits(
  db: Queryable,
  q: { phoneNumberIds: readonly string[]; fromDay: string; toDay: string },
  tables: RollupTables = OWN_ROLLUPS,
): Promise<UnpricedUnits> {
  const rows = await db.all<Omit<UnpricedGroup, 'count'> & { count: string }>(
    `SELECT market, category, unit, currency, sum(n_unpriced)::BIGINT AS count
       FROM ${tables.daily}
      WHERE phone_number_id IN (SELECT unnest($phones)) AND n_unpriced > 0
        AND local_day BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
      GROUP BY ALL ORDER BY market NULLS LAST, category, unit, currency`,
    { phones: [...q.phoneNumberIds], from: q.fromDay, to: q.toDay },
  );
  return summarize(rows);
}

export interface UnpricedMonth {
  readonly partner_id: string;
  readonly waba_id: string;
  readonly month: string;
  readonly count: number;
  readonly by: UnpricedGroup[];
  readonly message: string | null;
}

/** Every (WABA, local month) with unpriced units, latest first, optionally for one partner (admin view). */
export async function listUnpricedMonths(
  db: Queryable,
  q: { partnerId: string | null; limit: number },
  tables: RollupTables = OWN_ROLLUPS,
): Promise<UnpricedMonth[]> {
  const rows = await db.all<
    Omit<UnpricedGroup, 'count'> & { count: string; partner_id: string; waba_id: string; month: string }
  >(
    `WITH months AS (
       SELECT m.waba_id, m.local_month FROM ${tables.monthly} m JOIN wabas w USING (waba_id)
        WHERE m.n_unpriced > 0 AND ($partner IS NULL OR w.partner_id = $partner)
        GROUP BY ALL ORDER BY m.local_month DESC, m.waba_id LIMIT $limit)
     SELECT w.partner_id, m.waba_id, strftime(m.local_month, '%Y-%m') AS month, m.market, m.category, m.unit,
            m.currency, sum(m.n_unpriced)::BIGINT AS count
       FROM ${tables.monthly} m JOIN months USING (waba_id, local_month) JOIN wabas w USING (waba_id)
      WHERE m.n_unpriced > 0
      GROUP BY ALL ORDER BY month DESC, m.waba_id, m.market NULLS LAST, m.category, m.unit`,
    { partner: q.partnerId, limit: q.limit },
  );
  const out = new Map<string, UnpricedMonth & { rows: typeof rows }>();
  for (const r of rows) {
    const key = `${r.waba_id}|${r.month}`;
    const m = out.get(key) ?? {
      partner_id: r.partner_id,
      waba_id: r.waba_id,
      month: r.month,
      rows: [],
      count: 0,
      by: [],
      message: null,
    };
    m.rows.push(r);
    out.set(key, m);
  }
  return [...out.values()].map(({ rows: rs, ...m }) => ({
    ...m,
    ...summarize(
      rs.map(({ market, category, unit, currency, count }) => ({ market, category, unit, currency, count })),
    ),
  }));
}
