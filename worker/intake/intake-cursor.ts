/**
 * How far an intake log has been derived, kept in the store beside what was derived. The log carries two
 * streams, webhook envelopes and record batches, each derived in its own order through its own ingest, so each
 * has its cursor (a row of its own): a steady flow of one never cuts the other's batches into single entries.
 */
import type { Queryable } from '../db/db.js';
import type { IntakeEntry } from './intake-entry.js';

export type IntakeStream = 'webhooks' | 'records';

export const streamOf = (e: Pick<IntakeEntry, 'format'>): IntakeStream =>
  e.format === 'webhooks' ? 'webhooks' : 'records';

/** The cursor's row: webhooks keep the log's own id (as before records came), records a suffixed one. */
const rowOf = (logId: string, stream: IntakeStream) => (stream === 'webhooks' ? logId : `${logId}/records`);

export interface IntakeCursor {
  /** The last seq derived of each stream (0 = none yet). */
  readonly derivedThrough: Readonly<Record<IntakeStream, number>>;
  /** When the last derivation committed (ISO); null = never. */
  readonly derivedAt: string | null;
}

export async function readIntakeCursor(q: Queryable, logId: string): Promise<IntakeCursor> {
  const rows = await q.all<{ log_id: string; through: string; at: string }>(
    `SELECT log_id, CAST(derived_through AS VARCHAR) AS through,
            strftime(derived_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS at
       FROM intake_cursor WHERE log_id IN ($webhooks, $records) ORDER BY derived_at`,
    { webhooks: rowOf(logId, 'webhooks'), records: rowOf(logId, 'records') },
  );
  const through = (s: IntakeStream) => Number(rows.find((r) => r.log_id === rowOf(logId, s))?.through ?? 0);
  return {
    derivedThrough: { webhooks: through('webhooks'), records: through('records') },
    derivedAt: rows.at(-1)?.at ?? null,
  };
}

/** Moves a stream's cursor forward, inside the transaction that derived its entries up to `through`. */
export async function writeIntakeCursor(
  tx: Queryable,
  logId: string,
  stream: IntakeStream,
  through: number,
  at: Date,
): Promise<void> {
  await tx.run(
    `INSERT INTO intake_cursor VALUES ($log, $through, $at::TIMESTAMPTZ)
     ON CONFLICT (log_id) DO UPDATE SET derived_through = greatest(intake_cursor.derived_through, EXCLUDED.derived_through),
       derived_at = EXCLUDED.derived_at`,
    { log: rowOf(logId, stream), through, at: at.toISOString() },
  );
}
