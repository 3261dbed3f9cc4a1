/**
 * Raises `unpriced_units` for the recomputed WABA months that hold paid units nothing priced: once per WABA and
 * local month (a later batch of the same month, or the same file ingested again, does not raise it twice).
 * Runs at the end of both derivation paths, in their transaction, so the alert and the rollups agree (with the
 * money plane in a store of its own: in the money transaction that follows the analytics commit). The usage is
 * read on the analytics plane, the alert states on the money plane.
 */
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { raiseWabaAlert } from '../alerts/alert-table.js';
import { SCOPE_ROWS, scopeParams, scopeRange, type WabaMonth } from '../kernel/waba-month.js';
import { unpricedMessage, type UnpricedGroup } from './unpriced-units.js';

type Row = Omit<UnpricedGroup, 'count'> & { waba_id: string; month: string; count: string };

/** Returns how many alerts it raised. */
export async function raiseUnpricedAlerts(
  planes: Queryable | Planes,
  scope: readonly WabaMonth[],
  now: Date,
): Promise<number> {
  if (scope.length === 0) return 0;
  const p = asPlanes(planes);
  const found = await p.analytics.all<Row>(
    `SELECT m.waba_id, strftime(m.local_month, '%Y-%m') AS month, m.market, m.category, m.unit, m.currency,
            sum(m.n_unpriced)::BIGINT AS count
       FROM usage_monthly m JOIN (${SCOPE_ROWS}) s ON s.waba_id = m.waba_id AND s.month = m.local_month
      WHERE m.n_unpriced > 0 AND ${scopeRange('m')}
      GROUP BY ALL ORDER BY m.waba_id, month, m.market NULLS LAST, m.category, m.unit`,
    scopeParams(scope),
  );
  if (found.length === 0) return 0;
  const raisedBefore = await p.money.all<{ waba_id: string; scope_key: string }>(
    `SELECT waba_id, scope_key FROM waba_alert_states
      WHERE kind = 'unpriced_units' AND waba_id IN (SELECT unnest($w::VARCHAR[]))`,
    { w: [...new Set(found.map((r) => r.waba_id))] },
  );
  const seen = new Set(raisedBefore.map((a) => `${a.waba_id}|${a.scope_key}`));
  const rows = found.filter((r) => !seen.has(`${r.waba_id}|${r.month}`));
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
    const id = await raiseWabaAlert(p.money, {
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
