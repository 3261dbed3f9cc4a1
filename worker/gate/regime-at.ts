/**
 * Which pricing regime governs a send: per-message pricing from the WABA's local `pmp_from` date (DOMAIN.md §1
 * R4, "based on their WABA timezone"), conversation-based pricing before; CBP service conversations are free
 * from 2024-11-01 local (R3); from 2026-10-01 local (R5) service and in-window utility are charged again. The
 * dates come from data/regimes/regimes.json.
 */
import { localDayOf } from '../kernel/local-time.js';
import { REGIME_FROM } from '../kernel/regime-calendar.js';
import type { RegimeAt } from './decide-message.js';

/** The regime at an instant for a WABA with the given time zone and PMP start date. */
export function regimeAt(epochMs: number, timeZone: string, pmpFrom: string): RegimeAt {
  const day = localDayOf(epochMs, timeZone);
  const pmp = day >= pmpFrom;
  return {
    pricingModel: pmp ? 'PMP' : 'CBP',
    serviceFree: day >= REGIME_FROM.R3,
    serviceCharged: pmp && day >= REGIME_FROM.R5,
  };
}
