/**
 * A number's money state as one read: settled balance, pending top-ups, renewal settings, account (currency,
 * zone, WABA), account start and whether this drop below zero already had its emergency top-up. What follows a
 * balance change (renewal check, low-balance alert) decides from it, instead of re-reading each part per number.
 */
import type { Queryable } from '../db/db.js';
import { toMicros } from '../kernel/money.js';
import { accountStartsSql } from '../ledger/account-start.js';
import { balancesSql } from '../ledger/ledger.js';
import type { AutoRenewalSettings } from './auto-renewal.js';

export interface MoneySnapshot {
  readonly phone_number_id: string;
  readonly currency: string;
  readonly timezone: string;
  readonly waba_id: string;
  /** Settled balance, micro-units. */
  readonly balance: bigint;
  /** Top-ups confirmed but not settled, micro-units. */
  readonly pending: bigint;
  readonly renewal: AutoRenewalSettings | null;
  /** Local day from which usage debits the balance; null = not started. */
  readonly starts_on: string | null;
  readonly emergency_used: boolean;
}

interface Row {
  phone_number_id: string;
  currency: string;
  timezone: string;
  waba_id: string;
  balance: string;
  pending: string;
  starts_on: string | null;
  emergency_used: boolean;
  r_enabled: boolean | null;
  threshold: string | null;
  amount: string | null;
  mode: 'fixed' | 'target' | null;
  monthly_cap: string | null;
  payment_method: string | null;
  low_balance_threshold: string | null;
  consecutive_failures: number | null;
  disabled_reason: string | null;
}

/** The snapshots of the given numbers that have an account, in one query. */
export async function readMoneySnapshots(
  tx: Queryable,
  phoneNumberIds: readonly string[],
): Promise<Map<string, MoneySnapshot>> {
  if (phoneNumberIds.length === 0) return new Map();
  const phones = 'SELECT unnest($ids::VARCHAR[]) AS phone_number_id';
  const rows = await tx.all<Row>(
    `SELECT p.phone_number_id, w.currency, w.timezone, w.waba_id, b.balance::VARCHAR AS balance,
            b.pending::VARCHAR AS pending, s.starts_on,
            e.phone_number_id IS NOT NULL AS emergency_used,
            r.enabled AS r_enabled, r.threshold::VARCHAR AS threshold, r.amount::VARCHAR AS amount, r.mode,
            r.monthly_cap::VARCHAR AS monthly_cap, r.payment_method,
            r.low_balance_threshold::VARCHAR AS low_balance_threshold, r.consecutive_failures::INTEGER AS consecutive_failures,
            r.disabled_reason
       FROM phone_numbers p JOIN wabas w ON w.waba_id = p.waba_id
       JOIN (${balancesSql(phones)}) b ON b.phone_number_id = p.phone_number_id
       JOIN (${accountStartsSql(phones)}) s ON s.phone_number_id = p.phone_number_id
       LEFT JOIN auto_renewals r ON r.phone_number_id = p.phone_number_id
       LEFT JOIN (SELECT DISTINCT phone_number_id FROM emergency_drops) e ON e.phone_number_id = p.phone_number_id
      WHERE p.phone_number_id = ANY($ids::VARCHAR[])`,
    { ids: [...phoneNumberIds] },
  );
  return new Map(rows.map((r) => [r.phone_number_id, toSnapshot(r)]));
}

function toSnapshot(r: Row): MoneySnapshot {
  const renewal: AutoRenewalSettings | null =
    r.r_enabled === null
      ? null
      : {
          enabled: r.r_enabled,
          threshold: r.threshold ?? '0',
          amount: r.amount ?? '0',
          mode: r.mode ?? 'fixed',
          monthly_cap: r.monthly_cap,
          payment_method: r.payment_method ?? '',
          low_balance_threshold: r.low_balance_threshold,
          consecutive_failures: Number(r.consecutive_failures ?? 0),
          disabled_reason: r.disabled_reason,
        };
  return {
    phone_number_id: r.phone_number_id,
    currency: r.currency,
    timezone: r.timezone,
    waba_id: r.waba_id,
    balance: toMicros(r.balance),
    pending: toMicros(r.pending),
    renewal,
    starts_on: r.starts_on,
    emergency_used: r.emergency_used,
  };
}
