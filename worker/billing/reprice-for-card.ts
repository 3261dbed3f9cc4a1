/**
 * Re-running the recompute over the WABA months a pricing input (a card, a portfolio) can change. `stores`: the
 * two planes, so that the charges the re-pricing moves are posted to the money plane once the analytics
 * transaction commits (none: one store, posted in the transaction).
 */
import type { Queryable } from '../db/db.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { recompute, type PlaneStores } from './recompute.js';
import type { WabaMonth } from '../kernel/waba-month.js';
import type { RateCard } from '../pricing/rate-card.js';

/**
 * Months of WABAs in the card's currency holding units of its pricing model on or after `from` (the earlier of
 * the new and any replaced effective date). Later months may be in force under a newer card; they are few and
 * recomputing them is harmless, so the scope stays simple.
 */
export async function repriceForCard(
  tx: Queryable,
  card: Pick<RateCard, 'currency' | 'pricing_model'>,
  from: string,
  funding: DomainContext,
  stores?: PlaneStores,
): Promise<WabaMonth[]> {
  const months = await tx.all<WabaMonth>(
    `SELECT DISTINCT u.waba_id, strftime(u.local_month, '%Y-%m-%d') AS month
       FROM units u JOIN wabas w ON w.waba_id = u.waba_id
      WHERE w.currency = $cur AND u.pricing_model = $model AND u.local_day >= CAST($from AS DATE)
      ORDER BY 1, 2`,
    { cur: card.currency, model: card.pricing_model, from },
  );
  if (months.length === 0) return [];
  return recompute(tx, { scope: months, mode: 'whole' }, funding, stores);
}

/** After a portfolio change: every month of those WABAs that has paid PMP units (the ones volume tiers price). */
export async function repriceWabaMonths(
  tx: Queryable,
  wabaIds: readonly string[],
  funding: DomainContext,
  stores?: PlaneStores,
): Promise<WabaMonth[]> {
  if (wabaIds.length === 0) return [];
  const months = await tx.all<WabaMonth>(
    `SELECT DISTINCT waba_id, strftime(local_month, '%Y-%m-%d') AS month FROM units
      WHERE list_contains($w, waba_id) AND is_paid AND regime IN ('R4', 'R5') ORDER BY 1, 2`,
    { w: [...wabaIds] },
  );
  if (months.length === 0) return [];
  return recompute(tx, { scope: months, mode: 'whole' }, funding, stores);
}
