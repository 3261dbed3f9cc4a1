/**
 * Prices the paid units of the given WABA months. Until rate cards are applied, a paid unit is priced from the
 * rate or cost carried by its record (DOMAIN.md §9.2 `rate`/`cost`); free units carry no amount.
 */
import type { Queryable } from '../db/db.js';
import type { WabaMonth } from '../usage/scope.js';

export async function priceUnits(tx: Queryable, scope: readonly WabaMonth[]): Promise<void> {
  if (scope.length === 0) return;
  await tx.run(
    `UPDATE units SET
        rate = CASE WHEN is_paid THEN COALESCE(rate_in, cost_in) END,
        amount = CASE WHEN is_paid THEN COALESCE(cost_in, rate_in) END,
        rate_card_id = NULL,
        tier = CASE WHEN is_paid THEN tier_in END
      WHERE list_contains($keys, waba_id || '|' || strftime(local_month, '%Y-%m-%d'))`,
    { keys: scope.map((s) => `${s.waba_id}|${s.month}`) },
  );
}
