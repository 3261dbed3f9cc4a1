/**
 * When a balance ran out: the settlement time of the last settled movement that took a number's running balance
 * from above zero to zero or below. Numbers whose balance was never positive have no such moment. Callers show
 * it only while the balance is still at or below zero (that is when paid sends are blocked).
 */
import type { Queryable } from '../db/db.js';
import { isoMillis } from '../db/instant-text.js';

/** phone number id → ISO instant it ran out, for the given numbers that ever crossed to zero or below. */
export async function ranOutAt(
  db: Queryable,
  phoneNumberIds: readonly string[],
): Promise<Map<string, string>> {
  if (phoneNumberIds.length === 0) return new Map();
  const rows = await db.all<{ phone_number_id: string; at: string }>(
    `WITH m AS (
       SELECT phone_number_id, seq, COALESCE(settled_at, requested_at) AS ts,
              SUM(amount) OVER (PARTITION BY phone_number_id ORDER BY COALESCE(settled_at, requested_at), seq
                                ROWS UNBOUNDED PRECEDING) AS run
         FROM ledger_movements
        WHERE status = 'settled' AND affects_balance AND phone_number_id = ANY($ids::VARCHAR[])),
     c AS (SELECT phone_number_id, ts, run,
                  LAG(run) OVER (PARTITION BY phone_number_id ORDER BY ts, seq) AS prev FROM m)
     SELECT phone_number_id, max(ts) AS at
       FROM c WHERE run <= 0 AND prev > 0 GROUP BY phone_number_id`,
    { ids: [...phoneNumberIds] },
  );
  return new Map(rows.map((r) => [r.phone_number_id, isoMillis(r.at)]));
}
