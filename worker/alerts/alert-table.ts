/**
 * Alerts: a feed row per alert plus one pending webhook delivery per live subscription of the partner.
 * Number alerts: level alerts (low_balance, runway_short, renewal_disabled, stale_data) fire once per
 * crossing: they stay active until clearAlert re-arms them on recovery (stale_data: when the number's data
 * arrives again); renewal_failed is an event and fires every time.
 * WABA alerts (no number): unpriced_units once per WABA and local month.
 * This door needs only the store, so every layer that raises an alert (usage, ingest, funding, runway) may use it.
 */
import type { Queryable } from '../db/db.js';

export type AlertKind =
  'low_balance' | 'runway_short' | 'renewal_failed' | 'renewal_disabled' | 'unpriced_units' | 'stale_data';
export const ALERT_KINDS: readonly AlertKind[] = [
  'low_balance',
  'runway_short',
  'renewal_failed',
  'renewal_disabled',
  'unpriced_units',
  'stale_data',
];
export type WabaAlertKind = Extract<AlertKind, 'unpriced_units'>;

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
  const [acct] = await tx.all<{ partner_id: string; waba_id: string }>(
    `SELECT w.partner_id, w.waba_id FROM phone_numbers p JOIN wabas w USING (waba_id)
      WHERE p.phone_number_id = $p`,
    { p: a.phone_number_id },
  );
  if (!acct) return null;
  const once = a.once ?? a.kind !== 'renewal_failed';
  if (once) {
    const st = await tx.all<{ active: boolean }>(
      'SELECT active FROM alert_states WHERE phone_number_id = $p AND kind = $k',
      { p: a.phone_number_id, k: a.kind },
    );
    if (st[0]?.active) return null;
    await tx.run(
      `INSERT INTO alert_states VALUES ($p, $k, true, $now::TIMESTAMPTZ) ON CONFLICT (phone_number_id, kind)
         DO UPDATE SET active = excluded.active, changed_at = excluded.changed_at`,
      {
        p: a.phone_number_id,
        k: a.kind,
        now: a.now.toISOString(),
      },
    );
  }
  return insertAlert(tx, {
    partner_id: acct.partner_id,
    waba_id: acct.waba_id,
    phone_number_id: a.phone_number_id,
    kind: a.kind,
    message: a.message,
    data: a.data ?? {},
    now: a.now,
  });
}

/** The feed row and one pending delivery per live subscription of the partner. */
async function insertAlert(
  tx: Queryable,
  a: {
    partner_id: string;
    waba_id: string;
    phone_number_id: string | null;
    kind: AlertKind;
    message: string;
    data: Record<string, unknown>;
    now: Date;
  },
): Promise<string> {
  const alertId = `al_${crypto.randomUUID()}`;
  await tx.run(
    `INSERT INTO alerts (alert_id, seq, partner_id, waba_id, phone_number_id, kind, message, data, created_at)
     VALUES ($id, nextval('alerts_seq'), $partner, $waba, $p, $k, $msg, $data, $now::TIMESTAMPTZ)`,
    {
      id: alertId,
      partner: a.partner_id,
      waba: a.waba_id,
      p: a.phone_number_id,
      k: a.kind,
      msg: a.message,
      data: JSON.stringify(a.data),
      now: a.now.toISOString(),
    },
  );
  await tx.run(
    `INSERT INTO alert_deliveries (delivery_id, alert_id, subscription_id, status, attempts, next_attempt_at)
     SELECT 'dl_' || gen_random_uuid()::VARCHAR, $id, subscription_id, 'pending', 0, $now::TIMESTAMPTZ
       FROM alert_subscriptions WHERE partner_id = $partner AND deleted_at IS NULL`,
    { id: alertId, partner: a.partner_id, now: a.now.toISOString() },
  );
  return alertId;
}

export interface WabaAlertInput {
  readonly waba_id: string;
  readonly kind: WabaAlertKind;
  /** What "once" is counted over: the local month ('YYYY-MM') for unpriced_units. */
  readonly scope_key: string;
  readonly message: string;
  readonly data?: Record<string, unknown>;
  readonly now: Date;
}

/** Raises a WABA alert unless one is active for (WABA, kind, scope_key); returns its id or null. */
export async function raiseWabaAlert(tx: Queryable, a: WabaAlertInput): Promise<string | null> {
  const [waba] = await tx.all<{ partner_id: string }>('SELECT partner_id FROM wabas WHERE waba_id = $w', {
    w: a.waba_id,
  });
  if (!waba) return null;
  const key = { w: a.waba_id, k: a.kind, s: a.scope_key };
  const st = await tx.all<{ active: boolean }>(
    'SELECT active FROM waba_alert_states WHERE waba_id = $w AND kind = $k AND scope_key = $s',
    key,
  );
  if (st[0]?.active) return null;
  await tx.run(
    `INSERT INTO waba_alert_states VALUES ($w, $k, $s, true, $now::TIMESTAMPTZ)
       ON CONFLICT (waba_id, kind, scope_key) DO UPDATE SET active = excluded.active, changed_at = excluded.changed_at`,
    {
      ...key,
      now: a.now.toISOString(),
    },
  );
  return insertAlert(tx, {
    partner_id: waba.partner_id,
    waba_id: a.waba_id,
    phone_number_id: null,
    kind: a.kind,
    message: a.message,
    data: { waba_id: a.waba_id, ...a.data },
    now: a.now,
  });
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
