/**
 * Ingests one batch of raw webhook envelopes atomically: parse → check ownership → store status events and
 * inbound messages (deduplicated) → derive the touched units → merge → refreshDerived.
 */
import type { FundingContext } from '../funding/context.js';
import type { Db } from '../db/db.js';
import { BatchRejectedError } from '../errors.js';
import { refreshDerived } from '../usage/derive.js';
import { deriveWebhookUnits } from './derive-webhook-units.js';
import { mergeUnits } from './merge-units.js';
import { parseWebhooks } from './parse-webhooks.js';
import { newBatchId, recordBatch, type IngestResult } from './record-batch.js';
import { registerPhones } from './register-phones.js';
import { checkWebhookOwnership, stageWebhooks } from './stage-webhooks.js';
import { storeWebhookEvents } from './store-webhook-events.js';
import { ISSUE_CAP } from './validate-staged-units.js';

export interface IngestWebhooksInput {
  readonly text: string;
  readonly partnerId: string | null;
  readonly now: Date;
  /** Passed on to refreshDerived for the ledger sync. */
  readonly funding?: FundingContext;
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

/** Stores the events of the envelopes and the units they imply; a bad line rejects the batch (422). */
export async function ingestWebhooks(db: Db, input: IngestWebhooksInput): Promise<IngestResult> {
  const parsed = parseWebhooks(input.text);
  return db.transaction(async (tx) => {
    try {
      await stageWebhooks(tx, parsed);
      const issues = [...parsed.issues, ...(await checkWebhookOwnership(tx, input.partnerId))].sort(
        (a, b) => (a.line ?? 0) - (b.line ?? 0),
      );
      if (issues.length) {
        const lines = new Set(issues.map((i) => i.line)).size;
        throw new BatchRejectedError(
          `${lines} line(s) are invalid (${issues.length} issue(s)); the whole batch was rejected and nothing was written.`,
          issues.slice(0, ISSUE_CAP),
          { total_issues: issues.length, bad_rows: lines, issues_listed: Math.min(ISSUE_CAP, issues.length) },
        );
      }
      await tx.run(
        `CREATE OR REPLACE TEMP TABLE wh_phones AS
           SELECT phone_number_id, waba_id, display_phone_number FROM wh_events
           UNION ALL SELECT phone_number_id, waba_id, display_phone_number FROM wh_inbound`,
      );
      const registered = await registerPhones(tx, 'wh_phones', input.now);
      const stored = await storeWebhookEvents(tx, input.now);
      let merged = { inserted: 0, updated: 0, oldMonths: [] as { waba_id: string; month: string }[] };
      if (stored.newEvents > 0) {
        await deriveWebhookUnits(tx);
        merged = await mergeUnits(tx, input.now, input.partnerId);
      }
      const months =
        stored.newEvents > 0
          ? await refreshDerived(tx, { pending: true, wabaMonths: merged.oldMonths, funding: input.funding })
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
      };
      await recordBatch(tx, result, input.partnerId, input.now);
      return result;
    } finally {
      for (const t of TEMP) await tx.run(`DROP TABLE IF EXISTS temp.${t}`).catch(() => undefined);
    }
  });
}
