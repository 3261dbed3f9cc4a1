/**
 * Puts parsed webhook rows into temp tables (`wh_events`, `wh_inbound`) and checks what only the store can:
 * the WABA belongs to the caller and the phone number is not another WABA's.
 */
import type { Queryable, SqlValue } from '../db/db.js';
import type { InputIssue } from '../errors.js';
import type { ParsedWebhooks } from './parse-webhooks.js';

type Typed = Record<string, (value: string) => string>;

const epochTs = (v: string) => `to_timestamp(CAST(NULLIF(${v}, '') AS BIGINT))`;

const EVENT_TYPES: Typed = {
  line: (v) => `CAST(${v} AS INTEGER)`,
  status_ts: epochTs,
  conversation_expiration_ts: epochTs,
  pricing_billable: (v) => `CAST(NULLIF(${v}, '') AS BOOLEAN)`,
  error_codes: (v) => `CAST(NULLIF(${v}, '') AS INTEGER[])`,
};
const INBOUND_TYPES: Typed = { line: (v) => `CAST(${v} AS INTEGER)`, ts: epochTs };

/**
 * Stages one table of text columns: through a bulk-appended raw table where the store has one (binding each column
 * as a list costs ~0.3 s per 400k values), else from bound lists.
 */
async function stage(
  tx: Queryable,
  table: string,
  columns: Readonly<Record<string, readonly string[]>>,
  typed: Typed,
): Promise<void> {
  const cols = Object.keys(columns);
  const select = (value: (c: string) => string) =>
    cols.map((c) => `${(typed[c] ?? ((v: string) => `NULLIF(${v}, '')`))(value(c))} AS ${c}`).join(', ');
  if (!tx.stageText) {
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${select((c) => `unnest($${c})`)}`,
      columns,
    );
    return;
  }
  const raw = `${table}_raw`;
  await tx.stageText(raw, columns);
  // stageText stores '' as NULL; the typed expressions treat both alike.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${select((c) => `COALESCE(${c}, '')`)} FROM ${raw}`,
  );
  await tx.run(`DROP TABLE ${raw}`);
}

/** Stages both tables; an empty batch still gets (empty) tables. */
export async function stageWebhooks(tx: Queryable, parsed: ParsedWebhooks): Promise<void> {
  await stage(tx, 'wh_events', parsed.events, EVENT_TYPES);
  await stage(tx, 'wh_inbound', parsed.inbound, INBOUND_TYPES);
}

/** Ownership issues of `rows` (line, waba_id, phone_number_id), by line. */
async function ownershipIssues(
  q: Queryable,
  rows: string,
  params: Readonly<Record<string, SqlValue>>,
): Promise<InputIssue[]> {
  const found = await q.all<{ line: number; column_name: string; reason: string }>(
    `WITH r0 AS (${rows}),
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
    params,
  );
  return found.map((r) => ({ line: r.line, column: r.column_name, reason: r.reason }));
}

/** Ownership issues of the staged rows, by line. */
export function checkWebhookOwnership(tx: Queryable, partnerId: string | null): Promise<InputIssue[]> {
  return ownershipIssues(
    tx,
    `SELECT line, waba_id, phone_number_id FROM wh_events
     UNION ALL SELECT line, waba_id, phone_number_id FROM wh_inbound`,
    { partner: partnerId },
  );
}

/**
 * The same checks on parsed rows that are not staged (the continuous intake checks on a reader, without the
 * writer): the ids are bound as lists.
 */
export function checkParsedOwnership(
  q: Queryable,
  parsed: ParsedWebhooks,
  partnerId: string | null,
): Promise<InputIssue[]> {
  const { events, inbound } = parsed;
  if (events.line.length + inbound.line.length === 0) return Promise.resolve([]);
  return ownershipIssues(
    q,
    `SELECT CAST(unnest($lines) AS INTEGER) AS line, unnest($wabas) AS waba_id, unnest($phones) AS phone_number_id`,
    {
      partner: partnerId,
      lines: [...events.line, ...inbound.line],
      wabas: [...events.waba_id, ...inbound.waba_id],
      phones: [...events.phone_number_id, ...inbound.phone_number_id],
    },
  );
}
