/**
 * Stores staged status events and inbound messages, deduplicated on (wamid, status, status_ts) and on the
 * inbound wamid (webhooks are at-least-once), and keeps the wamids whose events were new in `wh_touched`.
 */
import type { Queryable } from '../db/db.js';

export interface StoredEvents {
  readonly events: number;
  readonly newEvents: number;
  readonly inbound: number;
  readonly newInbound: number;
}

const n = async (tx: Queryable, sql: string) =>
  (await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${sql}`))[0]?.n ?? 0;

export async function storeWebhookEvents(tx: Queryable, receivedAt: Date): Promise<StoredEvents> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE wh_new AS
       SELECT * FROM wh_events e
        WHERE NOT EXISTS (SELECT 1 FROM status_events s
                           WHERE s.wamid = e.wamid AND s.status = e.status AND s.status_ts = e.status_ts)
      QUALIFY row_number() OVER (PARTITION BY wamid, status, status_ts ORDER BY line) = 1`,
  );
  await tx.run(
    `INSERT INTO status_events (wamid, status, status_ts, waba_id, phone_number_id, recipient_wa_id,
        conversation_id, conversation_origin_type, conversation_expiration_ts, pricing_model, pricing_billable,
        pricing_type, pricing_category, error_codes, received_at)
     SELECT wamid, status, status_ts, waba_id, phone_number_id, recipient_wa_id, conversation_id,
        conversation_origin_type, conversation_expiration_ts, pricing_model, pricing_billable, pricing_type,
        pricing_category, error_codes, $now::TIMESTAMPTZ
       FROM wh_new`,
    { now: receivedAt.toISOString() },
  );
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE wh_inbound_new AS
       SELECT * FROM wh_inbound i
        WHERE NOT EXISTS (SELECT 1 FROM inbound_messages m WHERE m.wamid = i.wamid)
      QUALIFY row_number() OVER (PARTITION BY wamid ORDER BY line) = 1`,
  );
  await tx.run(
    `INSERT INTO inbound_messages (wamid, waba_id, phone_number_id, from_wa_id, ts, referral_source, received_at)
     SELECT wamid, waba_id, phone_number_id, from_wa_id, ts, referral_source, $now::TIMESTAMPTZ FROM wh_inbound_new`,
    { now: receivedAt.toISOString() },
  );
  return {
    events: await n(tx, 'wh_events'),
    newEvents: await n(tx, 'wh_new'),
    inbound: await n(tx, 'wh_inbound'),
    newInbound: await n(tx, 'wh_inbound_new'),
  };
}
