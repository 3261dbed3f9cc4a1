/** worker/kernel/regime-calendar and waba-month: the regime switch dates in one place, and the WABA-month scope. */
import { describe, expect, it } from 'vitest';
import table from '../../data/regimes/regimes.json' with { type: 'json' };
import {
  ALLOWANCE_REGIMES,
  allowanceGroups,
  allowanceOf,
  DEFAULT_PMP_FROM,
  monthHasAllowance,
  REGIME_FROM,
} from '../../worker/kernel/regime-calendar.js';
import { normalizeScope, scopeParams } from '../../worker/kernel/waba-month.js';

describe('kernel/regime-calendar', () => {
  it('reads every switch date from the regimes table, in order', () => {
    const dates = Object.fromEntries(table.regimes.map((r) => [r.regime, r.effective_from]));
    expect(REGIME_FROM).toEqual({ R1: dates.R1, R2: dates.R2, R3: dates.R3, R5: dates.R5 });
    expect(REGIME_FROM.R1 < REGIME_FROM.R2 && REGIME_FROM.R2 < REGIME_FROM.R3).toBe(true);
    // R4 (per-message pricing) starts on each WABA's pmp_from; the default falls between R3 and R5.
    expect(DEFAULT_PMP_FROM).toBe(table.default_pmp_from);
    expect(REGIME_FROM.R3 < DEFAULT_PMP_FROM && DEFAULT_PMP_FROM < REGIME_FROM.R5).toBe(true);
  });

  it('knows in which local months a free allowance can apply', () => {
    expect(allowanceOf('R3')).toBeNull();
    expect(allowanceOf('R5')).toMatchObject({ units: 1000, per: 'phone_number' });
    expect(ALLOWANCE_REGIMES.map((r) => r.regime)).toEqual(['R1', 'R2', 'R5']);
    expect(monthHasAllowance('2023-06-01')).toBe(true); // R2
    expect(monthHasAllowance('2024-11-01')).toBe(false); // R3: service free, no allowance
    expect(monthHasAllowance('2026-09-01')).toBe(false);
    expect(monthHasAllowance('2026-10-01')).toBe(true); // R5
    const groups = allowanceGroups([
      { waba_id: 'w', month: '2026-11-01' },
      { waba_id: 'w', month: '2025-01-01' },
      { waba_id: 'w', month: '2023-07-01' },
    ]);
    expect(groups.map((g) => g.map((s) => s.month))).toEqual([['2026-11-01'], ['2023-07-01']]);
  });
});

describe('kernel/waba-month', () => {
  it('normalizes a scope: sorted, each WABA month once', () => {
    const scope = normalizeScope([
      { waba_id: 'b', month: '2026-01-01' },
      { waba_id: 'a', month: '2026-02-01' },
      { waba_id: 'b', month: '2026-01-01' },
      { waba_id: 'a', month: '2026-01-01' },
    ]);
    expect(scope).toEqual([
      { waba_id: 'a', month: '2026-01-01' },
      { waba_id: 'a', month: '2026-02-01' },
      { waba_id: 'b', month: '2026-01-01' },
    ]);
  });

  it('binds a scope as parallel lists with its month range', () => {
    expect(
      scopeParams([
        { waba_id: 'a', month: '2026-03-01' },
        { waba_id: 'b', month: '2025-12-01' },
      ]),
    ).toEqual({
      scope_wabas: ['a', 'b'],
      scope_months: ['2026-03-01', '2025-12-01'],
      scope_min: '2025-12-01',
      scope_max: '2026-03-01',
    });
  });
});
