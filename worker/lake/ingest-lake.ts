/**
 * The ingest lake: every accepted ingest batch archived as Parquet, Hive-partitioned by month, with every change
 * of the reference data beside them (archive-reference.ts), the source that `npm run rebuild` replays alone. A batch is written in two steps so that a crash loses nothing and publishes nothing
 * twice: DuckDB writes it into a spool folder inside the batch's transaction (made durable before the commit),
 * and the files are published under their final names after the commit. A spooled batch left by a crash is
 * published at the next start when its batch committed, and dropped when it did not (recoverLake).
 *
 * This is a port: the local folder (local-ingest-lake.ts) is the default; an object store (S3, R2) replaces it
 * by publishing the same keys with a PUT instead of a rename. The spool always stays local, since DuckDB writes
 * it with COPY.
 */

/**
 * What a lake entry holds: billing-unit records or raw webhook envelopes (an ingest batch), or a change of the
 * reference data (partners, WABAs, numbers, markets, rate cards: reference-tables.ts).
 */
export type LakeKind = 'units' | 'webhooks' | 'reference';
/** The kinds replayed through the ingest. */
export const LAKE_KINDS: readonly LakeKind[] = ['units', 'webhooks'];

export interface LakeBatch {
  readonly kind: LakeKind;
  /**
   * The batch's ingest_batches.seq: the order in which batches were committed. A reference change takes its
   * number from the same sequence, so batches and changes share one order.
   */
  readonly seq: number;
  readonly batchId: string;
}

export interface IngestLake {
  /**
   * Creates (empty) and returns the local folder DuckDB writes the batch into, one month=YYYY-MM folder each
   * (a reference change: <table>/month=YYYY-MM, published under reference/<table>/month=YYYY-MM).
   */
  spoolDir(batch: LakeBatch): Promise<string>;
  /** Makes the spooled files durable; called before the batch's commit. */
  seal(batch: LakeBatch): Promise<void>;
  /**
   * After the commit: publishes the spooled files as <kind>/month=YYYY-MM/<batchFileName> and removes the spool.
   * Never throws: a file it could not publish stays spooled (and is logged) until recoverLake publishes it.
   * Safe to run again on a partly published batch.
   */
  publish(batch: LakeBatch): Promise<boolean>;
  /** Removes the spool of a batch that did not commit. */
  discard(batch: LakeBatch): Promise<void>;
  /** The batches still spooled (a crash, or a publish that failed). */
  spooled(): Promise<LakeBatch[]>;
}

const SEQ_DIGITS = 12;
const FILE = /^(?:batch|change)-(\d+)-([A-Za-z0-9_]+)(?:\.(\d+))?\.parquet$/;

/**
 * The published name of a batch's file in one month: batch-<seq, 12 digits>-<batch id>.parquet (change-… for a
 * reference change), so names sort in commit order; `part` > 0 when DuckDB split one month of a batch into
 * several files.
 */
export function batchFileName(batch: LakeBatch, part = 0): string {
  const seq = String(batch.seq).padStart(SEQ_DIGITS, '0');
  const prefix = batch.kind === 'reference' ? 'change' : 'batch';
  return `${prefix}-${seq}-${batch.batchId}${part > 0 ? `.${part}` : ''}.parquet`;
}

/** The batch a published file name belongs to, or null for every other file. */
export function parseBatchFileName(name: string): { seq: number; batchId: string } | null {
  const m = FILE.exec(name);
  return m ? { seq: Number(m[1]), batchId: m[2]! } : null;
}

/** The spool folder name of a batch (kind, seq and id, so spooled() needs no other record). */
export function spoolName(batch: LakeBatch): string {
  return `${batch.kind}-${String(batch.seq).padStart(SEQ_DIGITS, '0')}-${batch.batchId}`;
}

export function parseSpoolName(name: string): LakeBatch | null {
  const m = /^(units|webhooks|reference)-(\d+)-([A-Za-z0-9_]+)$/.exec(name);
  return m ? { kind: m[1] as LakeKind, seq: Number(m[2]), batchId: m[3]! } : null;
}
