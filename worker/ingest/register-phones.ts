/**
 * Registers phone numbers a batch mentions that the store does not know yet, under the WABA of the records
 * (validation has already refused numbers that belong to another WABA).
 */
import type { Queryable, SqlParams } from '../db/db.js';

/**
 * Inserts unknown (phone_number_id, waba_id, display number) triples from a staging table, or a parenthesised
 * SELECT with those columns and its bound `params`; returns how many.
 */
export async function registerPhones(
  tx: Queryable,
  table: string,
  now: Date,
  params: SqlParams = {},
): Promise<number> {
  const [r] = await tx.all<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM (
       SELECT DISTINCT phone_number_id FROM ${table} s
        WHERE NOT EXISTS (SELECT 1 FROM phone_numbers p WHERE p.phone_number_id = s.phone_number_id))`,
    params,
  );
  if (!r || r.n === 0) return 0;
  await tx.run(
    `INSERT INTO phone_numbers (phone_number_id, waba_id, display_phone_number, label, created_at)
       SELECT phone_number_id, any_value(waba_id), max(display_phone_number), NULL, $now::TIMESTAMPTZ
         FROM ${table} s
        WHERE NOT EXISTS (SELECT 1 FROM phone_numbers p WHERE p.phone_number_id = s.phone_number_id)
        GROUP BY phone_number_id`,
    { ...params, now: now.toISOString() },
  );
  return r.n;
}
