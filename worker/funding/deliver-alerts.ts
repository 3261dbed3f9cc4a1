/**
 * Delivers queued alert webhooks: POST of the alert as JSON, signed with the subscription secret
 * (`X-Signature: sha256=<hex HMAC-SHA256 of the raw body>`). A non-2xx answer or a network error retries with
 * exponential backoff (10 s, 20 s, 40 s … capped at 1 h) up to MAX_ATTEMPTS, then the delivery is marked failed.
 * The HTTP call runs outside any transaction; the result is recorded with a status guard. The host's sender
 * connects only to public addresses (or ALERT_WEBHOOK_ALLOW_NETWORKS), resolved and checked at send time, and
 * follows no redirect: a refused address is a failed attempt like any other.
 */
import { isoMillis } from '../db/instant-text.js';
import { hmacSha256Hex } from '../auth/crypto.js';
import { addressAllowed } from '../kernel/public-address.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import type { PostWebhook } from '../kernel/host-io.js';

export const MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;
const TIMEOUT_MS = 5_000;

interface Due {
  delivery_id: string;
  attempts: number;
  url: string;
  secret: string;
  alert_id: string;
  partner_id: string;
  waba_id: string | null;
  phone_number_id: string | null;
  kind: string;
  message: string;
  data: string;
  created_at: string;
}

let running = false;

export interface DeliverDeps {
  /** The money plane, where alerts, subscriptions and deliveries live. */
  readonly money: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly config: Pick<Config, 'alertWebhookAllowNetworks'>;
  /** The host's sender; without one every attempt fails (and is retried). */
  readonly host: { readonly postWebhook?: PostWebhook };
}

/** One delivery round; returns the number of deliveries attempted. */
export async function deliverAlerts(deps: DeliverDeps): Promise<number> {
  if (running) return 0; // a slow round must not overlap the next tick and send twice
  running = true;
  try {
    const due = await deps.money.all<Due>(
      `SELECT d.delivery_id, d.attempts, s.url, s.secret, a.alert_id, a.partner_id, a.waba_id, a.phone_number_id, a.kind,
              a.message, a.data, a.created_at
         FROM alert_deliveries d JOIN alert_subscriptions s USING (subscription_id) JOIN alerts a USING (alert_id)
        WHERE d.status = 'pending' AND d.next_attempt_at <= $now::TIMESTAMPTZ AND s.deleted_at IS NULL
        ORDER BY d.next_attempt_at, a.seq LIMIT 100`,
      { now: deps.clock.now().toISOString() },
    );
    for (const d of due) await deliverOne(deps, d);
    return due.length;
  } finally {
    running = false;
  }
}

async function deliverOne(deps: DeliverDeps, d: Due): Promise<void> {
  const body = JSON.stringify({
    alert_id: d.alert_id,
    kind: d.kind,
    partner_id: d.partner_id,
    waba_id: d.waba_id,
    phone_number_id: d.phone_number_id,
    message: d.message,
    data: JSON.parse(d.data) as unknown,
    created_at: isoMillis(d.created_at),
  });
  let error: string | null = null;
  try {
    if (!deps.host.postWebhook) throw new Error('this host cannot send webhooks');
    const allow = deps.config.alertWebhookAllowNetworks;
    const res = await deps.host.postWebhook(d.url, {
      headers: {
        'content-type': 'application/json',
        'x-signature': `sha256=${await hmacSha256Hex(d.secret, body)}`,
        'x-alert-id': d.alert_id,
      },
      body,
      timeoutMs: TIMEOUT_MS,
      allowed: (address) => addressAllowed(address, allow),
    });
    if (res.status >= 300 && res.status < 400) error = `HTTP ${res.status} (redirects are not followed)`;
    else if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const attempts = Number(d.attempts) + 1;
  const now = deps.clock.now();
  const next = new Date(now.getTime() + Math.min(BASE_BACKOFF_MS * 2 ** (attempts - 1), MAX_BACKOFF_MS));
  const status = error === null ? 'delivered' : attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
  if (error !== null) deps.log.warn('alert delivery failed', { delivery: d.delivery_id, attempts, error });
  await deps.money.transaction((tx) =>
    tx.run(
      `UPDATE alert_deliveries SET status = $s, attempts = $n, last_error = $e, next_attempt_at = $next::TIMESTAMPTZ,
          delivered_at = CASE WHEN $s = 'delivered' THEN $now::TIMESTAMPTZ END
        WHERE delivery_id = $id AND status = 'pending'`,
      {
        s: status,
        n: attempts,
        e: error,
        next: next.toISOString(),
        now: now.toISOString(),
        id: d.delivery_id,
      },
    ),
  );
}
