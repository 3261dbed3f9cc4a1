/**
 * Registers phone numbers a batch mentions that the store does not know yet, under the WABA of the records
 * (validation has already refused numbers that belong to another WABA). They are registered in the analytics
 * plane inside the batch's transaction; when the money plane is a store of its own, the same numbers are
 * registered there once that transaction commits, by an after-commit effect registered here, before the
 * recompute registers the posting of the batch's charges (effects run in registration order), so the ledger
 * and every access check know a number before its first charge. A crash between the two commits is repaired
 * at the next start (tenancy/refresh-tenancy-mirror.ts registers in money what only analytics has).
 */
import { onCommit, type Db, type Queryable, type SqlParams } from '../db/db.js';
import { registerPhonesInMoney } from '../tenancy/register-phones-in-money.js';

/**
 * Inserts unknown (phone_number_id, waba_id, display number) triples from a staging table, or a parenthesised
 * SELECT with those columns and its bound `params`; returns how many. `money`: the money plane (nothing more is
 * done when it is the analytics store itself).
 */
export async function registerPhones(
  tx: Queryable,
  table: string,
  now: Date,
  params: SqlParams = {},
  money?: Db,
): Promise<number> {
  const fresh = await tx.all<{
    phone_number_id: string;
    waba_id: string;
    display_phone_number: string | null;
  }>(
    `SELECT phone_number_id, any_value(waba_id) AS waba_id, max(display_phone_number) AS display_phone_number
       FROM ${table} s
      WHERE NOT EXISTS (SELECT 1 FROM phone_numbers p WHERE p.phone_number_id = s.phone_number_id)
      GROUP BY phone_number_id`,
    params,
  );
  if (fresh.length === 0) return 0;
  await tx.run(
    `INSERT INTO phone_numbers (phone_number_id, waba_id, display_phone_number, label, created_at)
       SELECT phone_number_id, any_value(waba_id), max(display_phone_number), NULL, $now::TIMESTAMPTZ
         FROM ${table} s
        WHERE NOT EXISTS (SELECT 1 FROM phone_numbers p WHERE p.phone_number_id = s.phone_number_id)
        GROUP BY phone_number_id`,
    { ...params, now: now.toISOString() },
  );
  if (money) {
    const rows = fresh.map((r) => ({ ...r, created_at: now.toISOString() }));
    onCommit(tx, async (analytics) => {
      if (analytics !== money) await registerPhonesInMoney(money, rows);
    });
  }
  return fresh.length;
}
