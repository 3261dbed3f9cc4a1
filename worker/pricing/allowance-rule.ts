/**
 * The rule change the charges forecast applies itself instead of leaving it to the models: from the start of the
 * latest regime with a per-number free allowance (data/regimes/regimes.json; R5, 2026-10-01) the allowance's
 * categories (service) are charged beyond the first `units` of each number and local month. Before it those
 * categories were free under per-message pricing, so a history holds no charges the models could learn from;
 * the forecast prices their forecast volume under the regime of each forecast month instead.
 *
 * @example
 * allowanceInForce('2026-10', '2025-07-01'); // => true
 * chargedUnits(1400, '2026-09', '2025-07-01'); // => 0 (service still free)
 * chargedUnits(1400, '2026-10', '2025-07-01'); // => 400
 */
import { REGIMES, type RegimeId } from '../kernel/regime-calendar.js';

export interface AllowanceRule {
  readonly regime: RegimeId;
  /** First local month of the rule, 'YYYY-MM'. */
  readonly from: string;
  readonly units: number;
  readonly categories: readonly string[];
}

function latestPerNumberRule(): AllowanceRule {
  const r = REGIMES.filter(
    (x) =>
      x.pricing_model === 'PMP' &&
      x.free_allowance?.per === 'phone_number' &&
      x.free_allowance.categories !== null &&
      x.effective_from !== null &&
      x.effective_from !== 'pmp_from',
  ).at(-1);
  if (!r?.free_allowance?.categories || !r.effective_from)
    throw new Error('data/regimes/regimes.json has no per-number free allowance');
  return {
    regime: r.regime,
    from: r.effective_from.slice(0, 7),
    units: r.free_allowance.units,
    categories: r.free_allowance.categories,
  };
}

export const ALLOWANCE_RULE: AllowanceRule = latestPerNumberRule();

/**
 * Whether the rule prices the local month 'YYYY-MM' of a WABA whose per-message pricing starts on `pmpFrom`
 * ('YYYY-MM-DD'): a WABA still on conversation pricing is not under it.
 */
export function allowanceInForce(month: string, pmpFrom: string): boolean {
  return month >= ALLOWANCE_RULE.from && `${month}-01` >= pmpFrom;
}

/** Units of the allowance's categories charged in a month with `volume` of them (0 before the rule). */
export function chargedUnits(volume: number, month: string, pmpFrom: string): number {
  return allowanceInForce(month, pmpFrom) ? Math.max(0, volume - ALLOWANCE_RULE.units) : 0;
}
