/** How far an intake log has been derived, kept in the store beside what was derived. */
import type { Queryable } from '../db/db.js';

export interface IntakeCursor {
  /** The last seq derived (0 = none yet). */
  readonly derivedThrough: number;
  /** When the last derivation committed (ISO); null = never. */
  readonly derivedAt: string | null;
}

export async function readIntakeCursor(q: Queryable, logId: string): Promise<IntakeCursor> {
  const [r] = await q.all<{ through: string; at: string }>(
    `SELECT CAST(derived_through AS VARCHAR) AS through,
            strftime(derived_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS at
       FROM intake_cursor WHERE log_id = $log`,
    { log: logId },
  );
  return r ? { derivedThrough: Number(r.through), derivedAt: r.at } : { derivedThrough: 0, derivedAt: null };
}

/** Moves the cursor forward, inside the transaction that derived the entries up to `through`. */
export async function writeIntakeCursor(
  tx: Queryable,
  logId: string,
  through: number,
  at: Date,
): Promise<void> {
  await tx.run(
    `INSERT INTO intake_cursor VALUES ($log, $through, $at::TIMESTAMPTZ)
     ON CONFLICT (log_id) DO UPDATE SET derived_through = greatest(intake_cursor.derived_through, EXCLUDED.derived_through),
       derived_at = EXCLUDED.derived_at`,
    { log: logId, through, at: at.toISOString() },
  );
}
