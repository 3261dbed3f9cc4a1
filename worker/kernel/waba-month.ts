/**
 * The WABA month, the unit of recomputation for derivation, pricing, rollups and the ledger, and its binding to
 * SQL: two parallel lists, zipped back into rows by `SCOPE_ROWS` (DuckDB unnests several lists in one SELECT side
 * by side), so a whole scope is one bound query, never spliced SQL.
 */

/** A WABA and one of its local months. */
export interface WabaMonth {
  readonly waba_id: string;
  /** First day of the month in the WABA's time zone, 'YYYY-MM-01'. */
  readonly month: string;
}

/** The bound values of a scope ($scope_wabas, $scope_months, $scope_min, $scope_max). */
export interface ScopeParams {
  readonly [name: string]: readonly string[] | string;
  readonly scope_wabas: readonly string[];
  readonly scope_months: readonly string[];
  readonly scope_min: string;
  readonly scope_max: string;
}

/** SELECT yielding (waba_id, month DATE) for the bound $scope_wabas / $scope_months lists. */
export const SCOPE_ROWS = `SELECT unnest($scope_wabas) AS waba_id, CAST(unnest($scope_months) AS DATE) AS month`;

/**
 * A constant range on local_month covering the scope: redundant with the join, but DuckDB prunes row groups
 * with it (zone maps), so a one-month refresh does not probe every unit.
 */
export const scopeRange = (alias: string): string =>
  `${alias}.local_month BETWEEN CAST($scope_min AS DATE) AND CAST($scope_max AS DATE)`;

/** The bound parameters for SCOPE_ROWS and scopeRange (scope must be non-empty). */
export function scopeParams(scope: readonly WabaMonth[]): ScopeParams {
  const months = scope.map((s) => s.month).sort();
  return {
    scope_wabas: scope.map((s) => s.waba_id),
    scope_months: scope.map((s) => s.month),
    scope_min: months[0] ?? '1970-01-01',
    scope_max: months[months.length - 1] ?? '1970-01-01',
  };
}

/** Sorted, de-duplicated copy of a scope. */
export function normalizeScope(scope: readonly WabaMonth[]): WabaMonth[] {
  const seen = new Map<string, WabaMonth>();
  for (const s of scope) seen.set(`${s.waba_id}|${s.month}`, { waba_id: s.waba_id, month: s.month });
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
