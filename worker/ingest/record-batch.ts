/** Writes the ingest_batches row that says what one batch brought and changed. */
import type { Queryable } from '../db/db.js';
import type { WabaMonth } from '../usage/scope.js';
import type { IngestFormat } from './ingest-format.js';

/** The answer of POST /v1/ingest and the CLI summary. */
export interface IngestResult {
  readonly batch_id: string;
  readonly format: IngestFormat;
  /** Data lines (records, or webhook envelopes) in the batch. */
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly duplicates: number;
  readonly months_recomputed: WabaMonth[];
  /** Webhooks only: status events and inbound messages stored (new ones). */
  readonly status_events?: number;
  readonly inbound_messages?: number;
  readonly phone_numbers_registered: number;
}

/** A fresh, sortable batch id. */
export function newBatchId(now: Date): string {
  return `ib_${now.getTime().toString(36)}_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

export async function recordBatch(
  tx: Queryable,
  r: IngestResult,
  partnerId: string | null,
  now: Date,
): Promise<void> {
  await tx.run(
    `INSERT INTO ingest_batches (batch_id, partner_id, format, rows_in, rows_new, rows_dup, received_at, rows_updated)
     VALUES ($id, $partner, $format, $rows, $new, $dup, $now::TIMESTAMPTZ, $upd)`,
    {
      id: r.batch_id,
      partner: partnerId,
      format: r.format,
      rows: r.rows,
      new: r.inserted,
      dup: r.duplicates,
      now: now.toISOString(),
      upd: r.updated,
    },
  );
}
