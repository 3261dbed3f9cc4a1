/**
 * The usage marks of the send gate's holds (table gate_usage_marks, worker/gate/hold-sql.ts): for each number,
 * the latest unit time (epoch ms) whose charges the ledger has posted. Written in the money transaction that posts
 * the charges, so a hold's spent part stops counting exactly when the charges of its sends count instead. A mark
 * only moves forward.
 */
import type { Queryable } from '../db/db.js';

export interface UsageMark {
  readonly phone_number_id: string;
  readonly posted_through_ms: number;
}

/** The latest unit time (epoch ms) per number of `phones` in the local months [from, to), from analytics. */
export async function latestUnitTimes(
  analytics: Queryable,
  phones: readonly string[],
  from: string,
  to: string,
): Promise<UsageMark[]> {
  if (phones.length === 0) return [];
  const rows = await analytics.all<{ phone_number_id: string; ms: string | number }>(
    `SELECT phone_number_id, epoch_ms(max(opened_at)) AS ms FROM units
      WHERE phone_number_id IN (SELECT unnest($phones::VARCHAR[]))
        AND local_month >= $from::DATE AND local_month < $to::DATE
      GROUP BY phone_number_id`,
    { phones: [...phones], from, to },
  );
  return rows.map((r) => ({ phone_number_id: r.phone_number_id, posted_through_ms: Number(r.ms) }));
}

/** Moves each number's mark forward to its given time (never back). */
export async function advanceUsageMarks(tx: Queryable, marks: readonly UsageMark[]): Promise<void> {
  if (marks.length === 0) return;
  await tx.run(
    `INSERT INTO gate_usage_marks (phone_number_id, posted_through_ms)
     SELECT unnest($phones::VARCHAR[]), CAST(unnest($ms::VARCHAR[]) AS BIGINT)
     ON CONFLICT (phone_number_id) DO UPDATE
       SET posted_through_ms = GREATEST(gate_usage_marks.posted_through_ms, excluded.posted_through_ms)`,
    { phones: marks.map((m) => m.phone_number_id), ms: marks.map((m) => String(m.posted_through_ms)) },
  );
}
