/**
 * The current month's charges so far: a month still running is drawn apart from the complete ones (lighter,
 * outlined, "partial month, up to …"), so it never reads as a drop in spend.
 */
import type { ChargesForecastResponse, ChargesTable } from './api-types.js';
import { actualsOnly } from './charges-series.js';

export interface PartialMonth {
  /** The running month, YYYY-MM (the WABA's calendar). */
  readonly period: string;
  /** Charges so far, a decimal string. */
  readonly value: string;
  /** Up to when the month is known: the latest unit received, else the time of the answer. */
  readonly through: string;
}

function throughOf(table: ChargesTable, month: string): string {
  const latest = table.data_through;
  // A latest unit from before the month cannot bound it; the answer's own time then does.
  if (latest && latest.slice(0, 7) >= month) return latest;
  return table.as_of ?? new Date().toISOString();
}

/** The month's charges from a /v1/charges answer in one currency; null when the answer has no row for it. */
export function partialMonth(table: ChargesTable, month: string, currency: string): PartialMonth | null {
  const rows = table.rows.filter((r) => r.period === month && r.currency === currency);
  if (rows.length === 0) return null;
  const value = String(actualsOnly({ rows }).history[0]?.value ?? '0.000000');
  return { period: month, value, through: throughOf(table, month) };
}

/**
 * The actual charges of a /v1/charges answer whose range ends with the current month (its default range), with
 * that month taken out of the history as the partial month.
 */
export function actualsWithPartial(table: ChargesTable): {
  readonly charges: ChargesForecastResponse;
  readonly partial: PartialMonth | null;
} {
  const all = actualsOnly(table);
  const last = all.history.at(-1);
  if (!last || !table.to || last.period !== table.to) return { charges: all, partial: null };
  return {
    charges: { ...all, history: all.history.slice(0, -1) },
    partial: { period: last.period, value: String(last.value), through: throughOf(table, last.period) },
  };
}
