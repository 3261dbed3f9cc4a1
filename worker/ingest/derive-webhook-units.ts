/**
 * Derives billing units from stored status events (DOMAIN.md §6.4, §9.1, §10.5–10.7) for every message or
 * conversation a batch touched, into `ingest_typed` (the shape mergeUnits takes):
 * - a message is delivered at its earliest delivered-or-read time (read implies delivered; failed then
 *   delivered counts as delivered);
 * - CBP: one unit per conversation.id, opened at the earliest delivery of its messages (fallback: earliest
 *   sent), status_final failed when every message failed;
 * - PMP: one unit per delivered wamid; conversation ids are not used after the switch.
 */
import type { Queryable } from '../db/db.js';
import { TYPED_TABLE } from './type-staged-units.js';

const SQL = `
CREATE OR REPLACE TEMP TABLE ${TYPED_TABLE} AS
WITH touched_conv AS (
  SELECT DISTINCT conversation_id FROM status_events
   WHERE conversation_id IS NOT NULL AND wamid IN (SELECT wamid FROM wh_new)),
touched AS (
  SELECT wamid FROM wh_new
  UNION SELECT wamid FROM status_events WHERE conversation_id IN (SELECT conversation_id FROM touched_conv)),
msg AS (
  SELECT e.wamid,
         arg_min(e.waba_id, e.status_ts) AS waba_id,
         arg_min(e.phone_number_id, e.status_ts) AS phone_number_id,
         max(e.recipient_wa_id) AS recipient_wa_id,
         max(e.conversation_id) AS conversation_id,
         -- PMP wins when any event of the message says so: conversation ids are not used after the switch.
         COALESCE(max(e.pricing_model) FILTER (WHERE e.pricing_model = 'PMP'), max(e.pricing_model),
                  CASE WHEN max(e.conversation_id) IS NULL THEN 'PMP' ELSE 'CBP' END) AS pricing_model,
         arg_min(COALESCE(e.pricing_category, e.conversation_origin_type), e.status_ts)
           FILTER (WHERE COALESCE(e.pricing_category, e.conversation_origin_type) IS NOT NULL) AS category,
         arg_min(e.pricing_type, e.status_ts) FILTER (WHERE e.pricing_type IS NOT NULL) AS pricing_type,
         bool_or(e.pricing_billable) AS billable,
         max(e.conversation_expiration_ts) AS expires_at,
         min(e.status_ts) FILTER (WHERE e.status IN ('delivered', 'read')) AS delivered_at,
         min(e.status_ts) FILTER (WHERE e.status = 'sent') AS sent_at,
         min(e.status_ts) AS first_ts,
         bool_or(e.status = 'read') AS is_read,
         bool_or(e.status = 'failed') AS is_failed
    FROM status_events e
   WHERE e.wamid IN (SELECT wamid FROM touched)
   GROUP BY e.wamid),
cbp AS (
  SELECT conversation_id AS unit_id, any_value(pricing_model) AS pricing_model, 'conversation' AS unit,
         arg_min(waba_id, COALESCE(delivered_at, sent_at, first_ts)) AS waba_id,
         arg_min(phone_number_id, COALESCE(delivered_at, sent_at, first_ts)) AS phone_number_id,
         COALESCE(arg_min(recipient_wa_id, COALESCE(delivered_at, sent_at, first_ts)), '') AS recipient_wa_id,
         arg_min(category, COALESCE(delivered_at, sent_at, first_ts)) FILTER (WHERE category IS NOT NULL) AS category,
         max(pricing_type) AS pricing_type_in,
         bool_or(billable) AS billable_reported,
         COALESCE(min(delivered_at), min(sent_at), min(first_ts)) AS opened_at,
         max(expires_at) AS expires_at,
         CASE WHEN bool_or(is_read) THEN 'read'
              WHEN count(delivered_at) > 0 THEN 'delivered'
              WHEN bool_and(is_failed) THEN 'failed'
              ELSE 'sent' END AS status_final
    FROM msg
   WHERE pricing_model <> 'PMP' AND conversation_id IS NOT NULL
   GROUP BY conversation_id),
pmp AS (
  SELECT wamid AS unit_id, 'PMP' AS pricing_model, 'message' AS unit, waba_id, phone_number_id,
         COALESCE(recipient_wa_id, '') AS recipient_wa_id, category, pricing_type AS pricing_type_in,
         billable AS billable_reported, delivered_at AS opened_at, NULL::TIMESTAMPTZ AS expires_at,
         CASE WHEN is_read THEN 'read' ELSE 'delivered' END AS status_final
    FROM msg
   WHERE pricing_model = 'PMP' AND delivered_at IS NOT NULL),
units_new AS (SELECT * FROM cbp UNION ALL SELECT * FROM pmp)
SELECT n.unit_id, n.pricing_model, n.unit, n.waba_id, n.phone_number_id, n.recipient_wa_id,
       NULL::VARCHAR AS recipient_country, NULL::VARCHAR AS market, n.category, n.pricing_type_in,
       NULL::VARCHAR AS direction, n.billable_reported, n.opened_at, n.expires_at, NULL::VARCHAR AS template_name,
       NULL::BOOLEAN AS is_template,
       -- A customer message within 24 h before delivery means an open service window (PMP utility is free).
       CASE WHEN n.unit = 'message' THEN EXISTS (
         SELECT 1 FROM inbound_messages i
          WHERE i.phone_number_id = n.phone_number_id AND i.from_wa_id = n.recipient_wa_id
            AND i.ts <= n.opened_at AND i.ts > n.opened_at - INTERVAL 24 HOUR) END AS in_csw,
       (n.category = 'referral_conversion' OR n.pricing_type_in = 'free_entry_point') AS in_fep,
       n.status_final, NULL::DECIMAL(18, 6) AS rate_in, NULL::DECIMAL(18, 6) AS cost_in, NULL::VARCHAR AS tier_in,
       'webhook' AS source
  FROM units_new n
 WHERE n.category IS NOT NULL`;

/** Builds ingest_typed for the units touched by the new events in wh_new; returns how many. */
export async function deriveWebhookUnits(tx: Queryable): Promise<number> {
  await tx.run(SQL);
  const [r] = await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${TYPED_TABLE}`);
  return r?.n ?? 0;
}
