/**
 * Ingests one batch of raw webhook envelopes atomically: parse → check ownership → store status events and
 * inbound messages (deduplicated) → derive the touched units → merge → recompute their months.
 */
import { onCommit, type Db, type Queryable } from '../db/db.js';
import type { OnWindows, WindowSignals } from './window-signals.js';
import type { IngestLake, LakeBatch } from '../lake/ingest-lake.js';
import { spoolWebhooks } from '../lake/archive-batch.js';
import { recoverLake } from '../lake/recover-lake.js';
import type { Recompute } from '../usage/recompute-plan.js';
import { deriveWebhookUnits } from './derive-webhook-units.js';
import { mergeUnits } from './merge-units.js';
import { parseWebhooks, type ParsedWebhooks } from './parse-webhooks.js';
import { newBatchId, nextBatchSeq, recordBatch, type IngestResult } from './record-batch.js';
import { registerPhones } from './register-phones.js';
import { checkWebhookOwnership, stageWebhooks } from './stage-webhooks.js';
import { storeWebhookEvents } from './store-webhook-events.js';
import { rejectWebhookIssues } from './webhook-rejection.js';

export interface IngestWebhooksInput {
  readonly text: string;
  /** The text already parsed (parseWebhooks), by a caller that parses in slices to keep its event loop free. */
  readonly parsed?: ParsedWebhooks;
  readonly partnerId: string | null;
  readonly now: Date;
  /** The whole-month recompute of the months the new units fall in (billing/recompute.ts). */
  readonly recompute: Recompute;
  /**
   * The money plane, when it is a store of its own: the numbers this ingest registers are registered there too,
   * once the analytics transaction commits (before the batch's charges are posted).
   */
  readonly money?: Db;
  /** Runs after the batch committed with what it says about open windows (the send gate learns from it). */
  readonly onWindows?: OnWindows;
  /** Where the accepted envelopes are archived (the ingest lake); none = not archived. */
  readonly lake?: IngestLake;
  /** Runs last inside the batch's transaction (the continuous intake records there what it has derived). */
  readonly inTransaction?: (tx: Queryable) => Promise<void>;
}

// Only what can still be open matters to the gate: a window is at most 72 h long.
const SIGNALS_SINCE_MS = 72 * 3_600_000;

async function windowSignals(tx: Queryable, now: Date): Promise<WindowSignals> {
  const since = new Date(now.getTime() - SIGNALS_SINCE_MS).toISOString();
  const inbound = await tx.all<{
    phone_number_id: string;
    customer: string;
    at: string;
    referral: string | null;
  }>(
    `SELECT phone_number_id, from_wa_id AS customer, CAST(epoch_ms(ts) AS VARCHAR) AS at,
            CASE WHEN referral_source IN ('ad', 'post') THEN referral_source END AS referral
       FROM wh_inbound_new WHERE ts > $since::TIMESTAMPTZ`,
    { since },
  );
  const conversations = await tx.all<{
    phone_number_id: string;
    customer: string;
    origin: string;
    until: string;
  }>(
    `SELECT phone_number_id, recipient_wa_id AS customer, conversation_origin_type AS origin,
            CAST(max(epoch_ms(conversation_expiration_ts)) AS VARCHAR) AS until
       FROM wh_new
      WHERE conversation_expiration_ts > $now::TIMESTAMPTZ AND recipient_wa_id IS NOT NULL
        AND conversation_origin_type IS NOT NULL
      GROUP BY ALL`,
    { now: now.toISOString() },
  );
  return {
    inbound: inbound.map((i) => ({
      phone_number_id: i.phone_number_id,
      customer: i.customer,
      at: Number(i.at),
      referral: i.referral === 'ad' || i.referral === 'post' ? i.referral : null,
    })),
    conversations: conversations.map((c) => ({ ...c, until: Number(c.until) })),
  };
}

const TEMP = [
  'wh_events',
  'wh_inbound',
  'wh_new',
  'wh_inbound_new',
  'wh_phones',
  'ingest_typed',
  'ingest_changed',
];

/** The batch's one transaction; `onSpool` hears of the lake spool before it is written. */
async function storeBatch(
  tx: Queryable,
  input: IngestWebhooksInput,
  parsed: ReturnType<typeof parseWebhooks>,
  onSpool: (b: LakeBatch) => void,
): Promise<IngestResult> {
  try {
    await stageWebhooks(tx, parsed);
    rejectWebhookIssues([...parsed.issues, ...(await checkWebhookOwnership(tx, input.partnerId))]);
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE wh_phones AS
         SELECT phone_number_id, waba_id, display_phone_number FROM wh_events
         UNION ALL SELECT phone_number_id, waba_id, display_phone_number FROM wh_inbound`,
    );
    const registered = await registerPhones(tx, 'wh_phones', input.now, {}, input.money);
    const stored = await storeWebhookEvents(tx, input.now);
    let merged = { inserted: 0, updated: 0, oldMonths: [] as { waba_id: string; month: string }[] };
    if (stored.newEvents > 0) {
      await deriveWebhookUnits(tx);
      merged = await mergeUnits(tx, input.now, input.partnerId);
    }
    const months =
      stored.newEvents > 0
        ? await input.recompute(tx, { scope: merged.oldMonths, pending: true, mode: 'whole' })
        : [];
    const result: IngestResult = {
      batch_id: newBatchId(input.now),
      format: 'webhooks',
      rows: parsed.lines,
      inserted: merged.inserted,
      updated: merged.updated,
      duplicates: stored.events - stored.newEvents + (stored.inbound - stored.newInbound),
      months_recomputed: months,
      status_events: stored.newEvents,
      inbound_messages: stored.newInbound,
      phone_numbers_registered: registered,
      market_mismatch: 0,
    };
    const seq = await nextBatchSeq(tx);
    await recordBatch(tx, result, input.partnerId, input.now, seq);
    if (input.lake) {
      const batch = { kind: 'webhooks', seq, batchId: result.batch_id } as const;
      onSpool(batch);
      const info = { ...batch, receivedAt: input.now, partnerId: input.partnerId, format: 'webhooks' };
      await spoolWebhooks(tx, input.lake, info, input.text);
    }
    if (input.inTransaction) await input.inTransaction(tx);
    const learn = input.onWindows;
    if (learn) {
      const signals = await windowSignals(tx, input.now);
      onCommit(tx, () => learn(signals));
    }
    return result;
  } finally {
    for (const t of TEMP) await tx.run(`DROP TABLE IF EXISTS temp.${t}`).catch(() => undefined);
  }
}

/** Stores the events of the envelopes and the units they imply; a bad line rejects the batch (422). */
export async function ingestWebhooks(db: Db, input: IngestWebhooksInput): Promise<IngestResult> {
  const parsed = input.parsed ?? parseWebhooks(input.text);
  const lake = input.lake;
  let spooled: LakeBatch | null = null;
  // The writer is held from the spool to the publish, so a recovery never meets this batch half-way.
  return db.writeSession(async (session) => {
    if (lake) await session.transaction((tx) => recoverLake(tx, lake));
    try {
      const stored = await session.transaction((tx) => storeBatch(tx, input, parsed, (b) => (spooled = b)));
      if (lake && spooled) await lake.publish(spooled);
      return stored;
    } catch (err) {
      if (lake && spooled) await lake.discard(spooled);
      throw err;
    }
  });
}
