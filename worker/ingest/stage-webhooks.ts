/**
 * Puts parsed webhook rows into temp tables (`wh_events`, `wh_inbound`) and checks what only the store can:
 * the WABA belongs to the caller and the phone number is not another WABA's.
 */
import type { Queryable } from '../db/db.js';
import type { InputIssue } from '../errors.js';
import type { ParsedWebhooks } from './parse-webhooks.js';

function stageSql(table: string, cols: readonly string[], typed: Record<string, string>): string {
  const select = cols.map((c) => `${typed[c] ?? `NULLIF(unnest($${c}), '')`} AS ${c}`).join(', ');
  return `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${select}`;
}

const epochTs = (c: string) => `to_timestamp(CAST(NULLIF(unnest($${c}), '') AS BIGINT))`;

/** Stages both tables; an empty batch still gets (empty) tables. */
export async function stageWebhooks(tx: Queryable, parsed: ParsedWebhooks): Promise<void> {
  const ev = parsed.events;
  await tx.run(
    stageSql('wh_events', Object.keys(ev), {
      line: `CAST(unnest($line) AS INTEGER)`,
      status_ts: epochTs('status_ts'),
      conversation_expiration_ts: epochTs('conversation_expiration_ts'),
      pricing_billable: `CAST(NULLIF(unnest($pricing_billable), '') AS BOOLEAN)`,
      error_codes: `CAST(NULLIF(unnest($error_codes), '') AS INTEGER[])`,
    }),
    ev,
  );
  await tx.run(
    stageSql('wh_inbound', Object.keys(parsed.inbound), {
      line: `CAST(unnest($line) AS INTEGER)`,
      ts: epochTs('ts'),
    }),
    parsed.inbound,
  );
}

/** Ownership issues of the staged rows, by line. */
export async function checkWebhookOwnership(tx: Queryable, partnerId: string | null): Promise<InputIssue[]> {
  const rows = await tx.all<{ line: number; column_name: string; reason: string }>(
    `WITH r0 AS (
       SELECT line, waba_id, phone_number_id FROM wh_events
       UNION ALL SELECT line, waba_id, phone_number_id FROM wh_inbound),
     r AS (
       SELECT r0.*, w.waba_id IS NOT NULL AS owned, p.waba_id AS known_waba
         FROM r0
         LEFT JOIN wabas w ON w.waba_id = r0.waba_id AND ($partner IS NULL OR w.partner_id = $partner)
         LEFT JOIN phone_numbers p ON p.phone_number_id = r0.phone_number_id),
     conflict AS (SELECT phone_number_id FROM r WHERE known_waba IS NULL GROUP BY 1 HAVING count(DISTINCT waba_id) > 1)
     SELECT DISTINCT line, 'entry.id' AS column_name, 'is not a WABA of this partner' AS reason FROM r WHERE NOT owned
     UNION
     SELECT DISTINCT line, 'metadata.phone_number_id', 'belongs to another WABA'
       FROM r WHERE owned AND known_waba IS NOT NULL AND known_waba <> waba_id
     UNION
     SELECT DISTINCT r.line, 'metadata.phone_number_id', 'appears under more than one WABA in this batch'
       FROM r JOIN conflict USING (phone_number_id) WHERE r.owned
     ORDER BY 1, 2`,
    { partner: partnerId },
  );
  return rows.map((r) => ({ line: r.line, column: r.column_name, reason: r.reason }));
}
