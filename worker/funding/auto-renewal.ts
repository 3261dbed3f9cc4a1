/**
 * Auto-renewal settings of a phone number (DOMAIN.md §7.2): read them, and save them with an audit entry and
 * warnings (a top-up amount at or below the threshold makes renewals loop, DOMAIN.md §10.17).
 */
import type { Queryable } from '../db/db.js';
import { toMicros } from '../kernel/money.js';
import { ValidationError } from '../errors.js';
import { writeAudit } from './audit.js';

export interface AutoRenewal {
  readonly enabled: boolean;
  readonly threshold: string;
  /** Fixed amount per renewal, or (mode target) the balance to top up to. */
  readonly amount: string;
  readonly mode: 'fixed' | 'target';
  readonly monthly_cap: string | null;
}

export interface AutoRenewalSettings extends AutoRenewal {
  readonly payment_method: string;
  readonly low_balance_threshold: string | null;
  readonly consecutive_failures: number;
  readonly disabled_reason: string | null;
}

export type AutoRenewalInput = Omit<AutoRenewalSettings, 'consecutive_failures' | 'disabled_reason'>;

const SELECT = `SELECT enabled, threshold::VARCHAR AS threshold, amount::VARCHAR AS amount, mode,
    monthly_cap::VARCHAR AS monthly_cap, payment_method, low_balance_threshold::VARCHAR AS low_balance_threshold,
    consecutive_failures, disabled_reason
  FROM auto_renewals WHERE phone_number_id = $p`;

/** The saved settings (the contract shape plus payment details), or null when never configured. */
export async function getAutoRenewal(
  db: Queryable,
  phoneNumberId: string,
): Promise<AutoRenewalSettings | null> {
  const rows = await db.all<AutoRenewalSettings>(SELECT, { p: phoneNumberId });
  const r = rows[0];
  return r ? { ...r, consecutive_failures: Number(r.consecutive_failures) } : null;
}

/** A change to the settings: a field left out keeps its saved value; null clears the cap or the alert level. */
export type AutoRenewalPatch = { readonly [K in keyof AutoRenewalInput]?: AutoRenewalInput[K] | undefined };

/**
 * The settings after a change. Merging (not replacing) is what lets one screen edit the renewal amount without
 * dropping a monthly cap or a low-balance alert level that another screen set.
 */
export function mergeAutoRenewal(
  saved: AutoRenewalSettings | null,
  patch: AutoRenewalPatch,
): AutoRenewalInput {
  const threshold = patch.threshold ?? saved?.threshold;
  const amount = patch.amount ?? saved?.amount;
  if (threshold === undefined || amount === undefined) {
    throw new ValidationError('The first auto-renewal settings of a number need a threshold and an amount.', [
      ...(threshold === undefined ? [{ column: 'threshold', reason: 'required' }] : []),
      ...(amount === undefined ? [{ column: 'amount', reason: 'required' }] : []),
    ]);
  }
  return {
    enabled: patch.enabled ?? saved?.enabled ?? true,
    threshold,
    amount,
    mode: patch.mode ?? saved?.mode ?? 'fixed',
    monthly_cap: patch.monthly_cap !== undefined ? patch.monthly_cap : (saved?.monthly_cap ?? null),
    payment_method: patch.payment_method ?? saved?.payment_method ?? 'card',
    low_balance_threshold:
      patch.low_balance_threshold !== undefined
        ? patch.low_balance_threshold
        : (saved?.low_balance_threshold ?? null),
  };
}

/** Warnings for settings that are allowed but unwise. */
export function autoRenewalWarnings(s: AutoRenewalInput): string[] {
  const out: string[] = [];
  if (toMicros(s.amount) <= toMicros(s.threshold)) {
    out.push(
      s.mode === 'fixed'
        ? 'The top-up amount is not above the threshold; keep the amount higher than the threshold.'
        : 'The target balance is not above the threshold; a renewal would add little or nothing.',
    );
  }
  if (s.monthly_cap !== null && toMicros(s.monthly_cap) < toMicros(s.amount) && s.mode === 'fixed') {
    out.push('The monthly cap is below one top-up amount; renewals will be limited to the cap.');
  }
  return out;
}

/** Upserts the settings, resets the failure streak, and writes the audit entry (before/after). */
export async function saveAutoRenewal(
  tx: Queryable,
  phoneNumberId: string,
  input: AutoRenewalInput,
  actor: string,
  now: Date,
): Promise<{ before: AutoRenewalSettings | null; after: AutoRenewalSettings }> {
  const before = await getAutoRenewal(tx, phoneNumberId);
  await tx.run(
    `INSERT INTO auto_renewals (phone_number_id, enabled, threshold, mode, amount, monthly_cap,
        payment_method, low_balance_threshold, consecutive_failures, disabled_reason, updated_at)
     VALUES ($p, $enabled, CAST($threshold AS DECIMAL(18, 6)), $mode, CAST($amount AS DECIMAL(18, 6)),
        CAST($cap AS DECIMAL(18, 6)), $method, CAST($low AS DECIMAL(18, 6)), 0, NULL, $now::TIMESTAMPTZ)
     ON CONFLICT (phone_number_id) DO UPDATE SET enabled = excluded.enabled, threshold = excluded.threshold,
        mode = excluded.mode, amount = excluded.amount, monthly_cap = excluded.monthly_cap,
        payment_method = excluded.payment_method, low_balance_threshold = excluded.low_balance_threshold,
        consecutive_failures = 0, disabled_reason = NULL, updated_at = excluded.updated_at`,
    {
      p: phoneNumberId,
      enabled: input.enabled,
      threshold: input.threshold,
      mode: input.mode,
      amount: input.amount,
      cap: input.monthly_cap,
      method: input.payment_method,
      low: input.low_balance_threshold,
      now: now.toISOString(),
    },
  );
  const after = (await getAutoRenewal(tx, phoneNumberId)) as AutoRenewalSettings;
  await writeAudit(tx, {
    phone_number_id: phoneNumberId,
    actor,
    action: 'auto_renewal.update',
    before,
    after,
    at: now,
  });
  return { before, after };
}
