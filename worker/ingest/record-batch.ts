/** Writes the ingest_batches row that says what one batch brought and changed. */
import type { Queryable } from '../db/db.js';
import type { WabaMonth } from '../kernel/waba-month.js';
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
  /**
   * Records whose `market` disagreed with the market of their recipient's number: the number decides, the
   * record's value is kept as market_reported. Webhook units carry no market (always 0).
   */
  readonly market_mismatch: number;
  /** Records: changed records older (ingested_at) than the stored units, kept out (also in duplicates). */
  readonly stale?: number;
}

/** A fresh, sortable batch id. */
export function newBatchId(now: Date): string {
  return `ib_${now.getTime().toString(36)}_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** Takes the next batch sequence number: batches are numbered in the order they commit (one writer). */
export async function nextBatchSeq(tx: Queryable): Promise<number> {
  const [r] = await tx.all<{ seq: number }>(`SELECT nextval('ingest_batch_seq')::BIGINT AS seq`);
  return Number(r?.seq);
}

/** Records a batch written in one transaction (webhooks) under its sequence number. */
export async function recordBatch(
  tx: Queryable,
  r: IngestResult,
  partnerId: string | null,
  now: Date,
  seq: number | null = null,
): Promise<void> {
  await tx.run(
    `INSERT INTO ingest_batches
       (batch_id, partner_id, format, rows_in, rows_new, rows_dup, received_at, rows_updated, seq)
     VALUES ($id, $partner, $format, $rows, $new, $dup, $now::TIMESTAMPTZ, $upd, $seq)`,
    {
      seq,
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

/** Records a batch as landing (first transaction of a bulk ingest); returns its sequence number. */
export async function recordLanding(
  tx: Queryable,
  b: { batch_id: string; format: IngestFormat; rows: number },
  partnerId: string | null,
  now: Date,
): Promise<number> {
  const [r] = await tx.all<{ seq: number }>(
    `INSERT INTO ingest_batches
       (batch_id, partner_id, format, rows_in, rows_new, rows_dup, received_at, rows_updated, seq, status)
     VALUES ($id, $partner, $format, $rows, 0, 0, $now::TIMESTAMPTZ, 0, nextval('ingest_batch_seq'), 'landing')
     RETURNING seq::BIGINT AS seq`,
    { id: b.batch_id, partner: partnerId, format: b.format, rows: b.rows, now: now.toISOString() },
  );
  return Number(r?.seq);
}

/** Completes a landing batch's record with what settling found (second transaction). */
export async function recordSettled(tx: Queryable, seq: number, r: IngestResult): Promise<void> {
  await tx.run(
    `UPDATE ingest_batches SET rows_in = $rows, rows_new = $new, rows_dup = $dup, rows_updated = $upd,
            status = 'done'
      WHERE seq = $seq`,
    { seq, rows: r.rows, new: r.inserted, dup: r.duplicates, upd: r.updated },
  );
}

export interface BatchSummary {
  readonly batch_id: string;
  readonly partner_id: string | null;
  readonly format: string;
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly duplicates: number;
  readonly received_at: string;
  /** 'done', or 'landing' while a bulk batch is between its two transactions. */
  readonly status: string;
}

/** The latest batches first (a partner sees its own; admin every partner's), for audit and support. */
export async function listBatches(
  db: Queryable,
  q: { partnerId: string | null; limit: number; before: string | null },
): Promise<BatchSummary[]> {
  const rows = await db.all<BatchSummary>(
    `SELECT batch_id, partner_id, format, rows_in::INTEGER AS rows, rows_new::INTEGER AS inserted,
            COALESCE(rows_updated, 0)::INTEGER AS updated, rows_dup::INTEGER AS duplicates,
            strftime(received_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS received_at,
            COALESCE(status, 'done') AS status
       FROM ingest_batches
      WHERE ($partner IS NULL OR partner_id = $partner)
        AND ($before IS NULL OR (received_at, batch_id) < (
              SELECT (received_at, batch_id) FROM ingest_batches WHERE batch_id = $before))
      ORDER BY received_at DESC, batch_id DESC
      LIMIT ${Math.trunc(q.limit)}`,
    { partner: q.partnerId, before: q.before },
  );
  return rows;
}
