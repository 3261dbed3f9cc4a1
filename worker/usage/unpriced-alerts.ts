/**
 * Raises `unpriced_units` for the recomputed WABA months that hold paid units nothing priced: once per WABA and
 * local month (a later batch of the same month, or the same file ingested again, does not raise it twice).
 * Runs at the end of both derivation paths, in their transaction, so the alert and the rollups agree.
 */
import type { Queryable } from '../db/db.js';
import { raiseWabaAlert } from '../alerts/alert-table.js';
import { SCOPE_ROWS, scopeParams, scopeRange, type WabaMonth } from '../kernel/waba-month.js';
import { unpricedMessage, type UnpricedGroup } from './unpriced-units.js';

type Row = Omit<UnpricedGroup, 'count'> & { waba_id: string; month: string; count: string };

/** Returns how many alerts it raised. */
export async function raiseUnpricedAlerts(
  tx: Queryable,
  scope: readonly WabaMonth[],
  now: Date,
): Promise<number> {
  if (scope.length === 0) return 0;
  const rows = await tx.all<Row>(
    `SELECT m.waba_id, strftime(m.local_month, '%Y-%m') AS month, m.market, m.category, m.unit, m.currency,
            sum(m.n_unpriced)::BIGINT AS count
       FROM usage_monthly m JOIN (${SCOPE_ROWS}) s ON s.waba_id = m.waba_id AND s.month = m.local_month
      WHERE m.n_unpriced > 0 AND ${scopeRange('m')}
        AND NOT EXISTS (SELECT 1 FROM waba_alert_states a WHERE a.waba_id = m.waba_id AND a.kind = 'unpriced_units'
                         AND a.scope_key = strftime(m.local_month, '%Y-%m'))
      GROUP BY ALL ORDER BY m.waba_id, month, m.market NULLS LAST, m.category, m.unit`,
    scopeParams(scope),
  );
  const months = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.waba_id}|${r.month}`;
    months.set(k, [...(months.get(k) ?? []), r]);
  }
  let raised = 0;
  for (const group of months.values()) {
    const { waba_id, month } = group[0]!;
    const by = group.map(({ market, category, unit, currency, count }) => ({
      market,
      category,
      unit,
      currency,
      count: Number(count),
    }));
    const id = await raiseWabaAlert(tx, {
      waba_id,
      kind: 'unpriced_units',
      scope_key: month,
      message: `${month}: ${unpricedMessage(by) ?? ''}`,
      data: { month, count: by.reduce((s, g) => s + g.count, 0), by },
      now,
    });
    if (id) raised++;
  }
  return raised;
}
