/**
 * The pricing regimes as data (data/regimes/regimes.json): when each starts and which free allowance it grants.
 * The SQL that classifies units is generated from this table, so a changed allowance or a new regime date is a
 * data change. Dates are local days in the WABA's zone; R4 starts on each WABA's own pmp_from.
 */
import table from '../../data/regimes/regimes.json' with { type: 'json' };
import type { WabaMonth } from './waba-month.js';

export type RegimeId = 'R0' | 'R1' | 'R2' | 'R3' | 'R4' | 'R5';

export interface FreeAllowance {
  /** Counted units freed per local month and scope. */
  readonly units: number;
  /** waba: one allowance shared by every number of the WABA; phone_number: one per number. */
  readonly per: 'waba' | 'phone_number';
  /** Categories that compete for it; null = every category. */
  readonly categories: readonly string[] | null;
}

export interface Regime {
  readonly regime: RegimeId;
  readonly pricing_model: 'NBP' | 'CBP' | 'PMP';
  /** 'YYYY-MM-DD', null for the first, or 'pmp_from' for the WABA's own per-message switch. */
  readonly effective_from: string | null;
  readonly free_allowance: FreeAllowance | null;
}

export const REGIMES: readonly Regime[] = table.regimes as Regime[];

function regime(id: RegimeId): Regime {
  const r = REGIMES.find((x) => x.regime === id);
  if (!r) throw new Error(`regime ${id} missing from data/regimes/regimes.json`);
  return r;
}

function dateOf(id: RegimeId): string {
  const d = regime(id).effective_from;
  if (d === null || d === 'pmp_from') throw new Error(`regime ${id} has no fixed start date`);
  return d;
}

/** The local day from which a WABA that names no pmp_from of its own moves to per-message pricing (R4). */
export const DEFAULT_PMP_FROM: string = table.default_pmp_from;

/** Fixed start dates, for the SQL and the gate. */
export const REGIME_FROM = {
  R1: dateOf('R1'),
  R2: dateOf('R2'),
  R3: dateOf('R3'),
  R5: dateOf('R5'),
} as const;

/** Regimes with a free allowance, and the local-month range [from, to) in which each can apply. */
export const ALLOWANCE_REGIMES: readonly (Regime & {
  readonly free_allowance: FreeAllowance;
  readonly from: string;
  readonly to: string | null;
})[] = REGIMES.flatMap((r, i) => {
  if (!r.free_allowance) return [];
  const from = r.effective_from === 'pmp_from' || r.effective_from === null ? '0001-01-01' : r.effective_from;
  const next = REGIMES.slice(i + 1).find(
    (n) =>
      n.pricing_model === r.pricing_model && n.effective_from !== null && n.effective_from !== 'pmp_from',
  );
  return [{ ...r, free_allowance: r.free_allowance, from, to: next?.effective_from ?? null }];
});

const inWindow = (r: (typeof ALLOWANCE_REGIMES)[number], month: string) =>
  month >= r.from.slice(0, 7) + '-01' && (r.to === null || month < r.to);

/** Whether a local month ('YYYY-MM-DD', first day) can hold units that compete for a free allowance. */
export function monthHasAllowance(month: string): boolean {
  return ALLOWANCE_REGIMES.some((r) => inWindow(r, month));
}

/**
 * The WABA months of a scope that can hold allowance units, grouped by the first allowance regime whose months
 * they fall in (each month in one group). Ranking a group at a time keeps each statement's month range to its
 * regime's years, so DuckDB skips the row groups in between (R2 ended in 2024, R5 began in 2026).
 */
export function allowanceGroups(scope: readonly WabaMonth[]): WabaMonth[][] {
  const groups = new Map<number, WabaMonth[]>();
  for (const s of scope) {
    const i = ALLOWANCE_REGIMES.findIndex((r) => inWindow(r, s.month));
    if (i >= 0) groups.set(i, [...(groups.get(i) ?? []), s]);
  }
  return [...groups.values()];
}

/** The free allowance of a regime at a local day, or null. */
export function allowanceOf(id: RegimeId): FreeAllowance | null {
  return regime(id).free_allowance;
}
