/**
 * Volume tiers count across the WABAs of one business portfolio (per market, category and local month), so a
 * month that changes in one WABA re-prices the same month of every other WABA in its portfolio. A WABA without a
 * portfolio is its own (the default), and then the scope stays as it is.
 */
import type { Queryable } from '../db/db.js';
import { normalizeScope, type WabaMonth } from '../kernel/waba-month.js';

/** SQL: the tier-counting group of a WABA row (alias `w`). */
export const tierGroupSql = (w: string): string => `COALESCE(${w}.portfolio_id, ${w}.waba_id)`;

/** The scope plus the same months of every WABA that shares a portfolio with one in it. */
export async function withPortfolioSiblings(
  tx: Queryable,
  scope: readonly WabaMonth[],
): Promise<WabaMonth[]> {
  if (scope.length === 0) return [];
  const wabas = [...new Set(scope.map((s) => s.waba_id))];
  const siblings = await tx.all<{ waba_id: string; member: string }>(
    `SELECT o.waba_id AS member, w.waba_id
       FROM wabas o JOIN wabas w ON w.portfolio_id = o.portfolio_id AND w.waba_id <> o.waba_id
      WHERE o.portfolio_id IS NOT NULL AND list_contains($w, o.waba_id)`,
    { w: wabas },
  );
  if (siblings.length === 0) return [...scope];
  const extra = scope.flatMap((s) =>
    siblings.filter((x) => x.member === s.waba_id).map((x) => ({ waba_id: x.waba_id, month: s.month })),
  );
  return normalizeScope([...scope, ...extra]);
}
