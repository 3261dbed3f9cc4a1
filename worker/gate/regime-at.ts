/**
 * Which pricing regime governs a send: per-message pricing from the WABA's local `pmp_from` date (DOMAIN.md §1
 * R4, "based on their WABA timezone"), conversation-based pricing before; CBP service conversations are free
 * from 2024-11-01 local (R3); from 2026-10-01 local (R5) service and in-window utility are charged again. The
 * dates come from data/regimes/regimes.json.
 */
import { REGIME_FROM } from '../usage/regimes.js';
import type { RegimeAt } from './decide-message.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Last answer per zone by quarter hour: every UTC offset in use is a multiple of 15 minutes. */
const lastDay = new Map<string, { quarter: number; day: string }>();
const QUARTER_MS = 900_000;

/** The calendar date ('YYYY-MM-DD') of an instant in an IANA time zone. */
export function localDateOf(epochMs: number, timeZone: string): string {
  const quarter = Math.floor(epochMs / QUARTER_MS);
  const hit = lastDay.get(timeZone);
  if (hit && hit.quarter === quarter) return hit.day;
  const day = formatDay(epochMs, timeZone);
  lastDay.set(timeZone, { quarter, day });
  return day;
}

function formatDay(epochMs: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(epochMs);
}

/** The regime at an instant for a WABA with the given time zone and PMP start date. */
export function regimeAt(epochMs: number, timeZone: string, pmpFrom: string): RegimeAt {
  const day = localDateOf(epochMs, timeZone);
  const pmp = day >= pmpFrom;
  return {
    pricingModel: pmp ? 'PMP' : 'CBP',
    serviceFree: day >= REGIME_FROM.R3,
    serviceCharged: pmp && day >= REGIME_FROM.R5,
  };
}
