/**
 * Balance alerts: a feed row per alert plus one pending webhook delivery per live subscription of the partner.
 * Level alerts (low_balance, runway_short, renewal_disabled) fire once per crossing: they stay active until
 * clearAlert re-arms them on recovery. renewal_failed is an event and fires every time.
 */
import { phoneAccount } from '../balance/ledger.js';
import type { Queryable } from '../db/db.js';

export type AlertKind = 'low_balance' | 'runway_short' | 'renewal_failed' | 'renewal_disabled';
export const ALERT_KINDS: readonly AlertKind[] = [
  'low_balance',
  'runway_short',
  'renewal_failed',
  'renewal_disabled',
];

export interface AlertInput {
  readonly phone_number_id: string;
  readonly kind: AlertKind;
  readonly message: string;
  readonly data?: Record<string, unknown>;
  readonly now: Date;
  /** Once per crossing (default true except renewal_failed). */
  readonly once?: boolean;
}

/** Raises an alert and queues its webhook deliveries; returns its id, or null when already active. */
export async function raiseAlert(tx: Queryable, a: AlertInput): Promise<string | null> {
  const acct = await phoneAccount(tx, a.phone_number_id);
  if (!acct) return null;
  const once = a.once ?? a.kind !== 'renewal_failed';
  if (once) {
    const st = await tx.all<{ active: boolean }>(
      'SELECT active FROM alert_states WHERE phone_number_id = $p AND kind = $k',
      { p: a.phone_number_id, k: a.kind },
    );
    if (st[0]?.active) return null;
    await tx.run(`INSERT OR REPLACE INTO alert_states VALUES ($p, $k, true, $now::TIMESTAMPTZ)`, {
      p: a.phone_number_id,
      k: a.kind,
      now: a.now.toISOString(),
    });
  }
  const alertId = `al_${crypto.randomUUID()}`;
  await tx.run(
    `INSERT INTO alerts VALUES ($id, nextval('alerts_seq'), $partner, $p, $k, $msg, $data, $now::TIMESTAMPTZ)`,
    {
      id: alertId,
      partner: acct.partner_id,
      p: a.phone_number_id,
      k: a.kind,
      msg: a.message,
      data: JSON.stringify(a.data ?? {}),
      now: a.now.toISOString(),
    },
  );
  await tx.run(
    `INSERT INTO alert_deliveries (delivery_id, alert_id, subscription_id, status, attempts, next_attempt_at)
     SELECT 'dl_' || uuid()::VARCHAR, $id, subscription_id, 'pending', 0, $now::TIMESTAMPTZ
       FROM alert_subscriptions WHERE partner_id = $partner AND deleted_at IS NULL`,
    { id: alertId, partner: acct.partner_id, now: a.now.toISOString() },
  );
  return alertId;
}

/** Re-arms a level alert (the condition recovered), so the next crossing fires again. */
export async function clearAlert(
  tx: Queryable,
  phoneNumberId: string,
  kind: AlertKind,
  now: Date,
): Promise<void> {
  await tx.run(
    `UPDATE alert_states SET active = false, changed_at = $now::TIMESTAMPTZ
      WHERE phone_number_id = $p AND kind = $k AND active`,
    { p: phoneNumberId, k: kind, now: now.toISOString() },
  );
}
