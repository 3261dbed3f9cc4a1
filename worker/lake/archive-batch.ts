/**
 * Spools what a batch accepted into the ingest lake before the batch commits: the records exactly as they
 * were accepted (typed and checked, before duplicates are sorted out and before anything is derived), or the
 * webhook envelopes of the batch; every row carries the batch id, and the batch's id, sequence, time and caller
 * are in the Parquet key-value metadata.
 *
 * Months: a record goes to the UTC month it opened in, so a batch spanning months is split into one file per
 * month; `line` keeps its place in the batch, and the rebuild puts the batch back together in that order (the
 * last record of a repeated unit wins). Webhook envelopes carry events of every time and are kept whole, in the
 * UTC month the batch was received.
 */
import type { Queryable } from '../db/db.js';
import type { IngestLake, LakeBatch } from './ingest-lake.js';
import { sqlString } from '../kernel/sql-literal.js';

export interface LakeBatchInfo extends LakeBatch {
  readonly receivedAt: Date;
  /** The calling partner; null = the admin (every partner's WABAs). */
  readonly partnerId: string | null;
  /** The format the batch came in (csv, ndjson, parquet, arrow, webhooks). */
  readonly format: string;
}

/** The lake's record columns, as units holds them after landing (the record's names on the left). */
export const LAKE_UNIT_COLUMNS: readonly (readonly [string, string])[] = [
  ['unit_id', 'unit_id'],
  ['pricing_model', 'pricing_model'],
  ['unit', 'unit'],
  ['waba_id', 'waba_id'],
  ['phone_number_id', 'phone_number_id'],
  ['display_phone_number', 'display_phone_number'],
  ['recipient_wa_id', 'recipient_wa_id'],
  ['recipient_country', 'recipient_country'],
  ['market', 'market'],
  ['category', 'category'],
  ['pricing_type', 'pricing_type_in'],
  ['direction', 'direction'],
  ['billable_reported', 'billable_reported'],
  ['opened_at', 'opened_at'],
  ['expires_at', 'expires_at'],
  ['template_name', 'template_name'],
  ['is_template', 'is_template'],
  ['in_csw', 'in_csw'],
  ['in_fep', 'in_fep'],
  ['status_final', 'status_final'],
  ['rate', 'rate_in'],
  ['cost', 'cost_in'],
  ['tier', 'tier_in'],
  ['source', 'source'],
  ['ingested_at', 'reported_at'],
];

function copyOptions(b: LakeBatchInfo): string {
  const kv: Record<string, string> = {
    batch_id: b.batchId,
    seq: String(b.seq),
    kind: b.kind,
    format: b.format,
    received_at: b.receivedAt.toISOString(),
    partner_id: b.partnerId ?? '',
  };
  const fields = Object.entries(kv).map(([k, v]) => `${k}: ${sqlString(v)}`);
  // Snappy (DuckDB's default) rather than zstd: the batch is written while the ingest waits for it.
  return `FORMAT parquet, PARTITION_BY (month), KV_METADATA {${fields.join(', ')}}`;
}

/**
 * Spools the records a bulk batch landed (units with batch_seq = seq, committed), before settling commits.
 * `reader` must see committed rows only (a reader connection, not the writer): it then reads the batch as it
 * landed while the writer settles it, and the caller waits for this before the settling commits.
 */
export async function spoolUnits(
  reader: Pick<Queryable, 'all'>,
  lake: IngestLake,
  b: LakeBatchInfo,
): Promise<void> {
  const dir = await lake.spoolDir(b);
  const cols = LAKE_UNIT_COLUMNS.map(([name, col]) =>
    // Closed value sets are ENUMs in units: plain text in the lake, readable by every Parquet reader.
    ['pricing_model', 'unit', 'category', 'pricing_type', 'direction', 'status_final', 'source'].includes(
      name,
    )
      ? `CAST(${col} AS VARCHAR) AS ${name}`
      : `${col} AS ${name}`,
  );
  // One INSERT landed the batch, so its rowids run in input order from the first: line = rowid - first + 1,
  // without the sort a row_number() would cost; one statement, so both read the same snapshot. The UTC month
  // is cut from the epoch (a TIMESTAMP, no time zone), 4x cheaper than formatting the TIMESTAMPTZ in 'UTC'.
  await reader.all(
    `COPY (SELECT $batch_id AS batch_id,
                  rowid - (SELECT min(rowid) FROM units WHERE batch_seq = $seq) + 1 AS line, ${cols.join(', ')},
                  strftime(make_timestamp(epoch_us(opened_at)), '%Y-%m') AS month
             FROM units WHERE batch_seq = $seq)
       TO ${sqlString(dir)} (${copyOptions(b)})`,
    { seq: b.seq, batch_id: b.batchId },
  );
  await lake.seal(b);
}

/** Spools the non-blank lines of a webhook batch (one envelope each), numbered as in the body. */
export async function spoolWebhooks(
  tx: Queryable,
  lake: IngestLake,
  b: LakeBatchInfo,
  text: string,
): Promise<void> {
  const lines: string[] = [];
  const envelopes: string[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (l.trim() === '') return;
    lines.push(String(i + 1));
    envelopes.push(l);
  });
  const dir = await lake.spoolDir(b);
  const month = b.receivedAt.toISOString().slice(0, 7);
  // Bound as two strings DuckDB splits (an envelope holds no newline: the text was split on them), not as two
  // lists: binding a list converts each of its values in JS, ~50 ms of the event loop for 10,000 envelopes.
  const rows =
    envelopes.length === 0
      ? `SELECT unnest($lines) AS line, unnest($envelopes) AS envelope`
      : `SELECT unnest(string_split($lines, ',')) AS line, unnest(string_split($envelopes, chr(10))) AS envelope`;
  await tx.run(
    `COPY (SELECT $batch_id AS batch_id, CAST(l.line AS INTEGER) AS line, l.envelope, $month AS month
             FROM (${rows}) l)
       TO ${sqlString(dir)} (${copyOptions(b)})`,
    envelopes.length === 0
      ? { lines, envelopes, month, batch_id: b.batchId }
      : { lines: lines.join(','), envelopes: envelopes.join('\n'), month, batch_id: b.batchId },
  );
  await lake.seal(b);
}
