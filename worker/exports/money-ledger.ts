/**
 * The ledger table of the exports when the money plane is a store of its own: the tenant's movements are read
 * on the money plane (one portable query) and handed to the analytics DuckDB as one bound JSON text, which the
 * `ledger` SELECT of tenant-tables.ts unpacks into the same columns and types as it reads from the DuckDB file's
 * own ledger. So the raw export, the lake and the SQL sandbox write the money plane's ledger without a second
 * path through DuckDB's writers.
 */
import type { Queryable } from '../db/db.js';

/** The movements of the numbers whose WABA-local requested day is in the range, as a JSON array text. */
export async function moneyLedgerRows(
  money: Queryable,
  scope: { readonly phoneNumberIds: readonly string[]; readonly fromDay: string; readonly toDay: string },
): Promise<string> {
  if (scope.phoneNumberIds.length === 0) return '[]';
  const rows = await money.all(
    `SELECT l.movement_id, l.seq, l.phone_number_id, p.waba_id, l.kind, l.amount, l.affects_balance, l.currency,
            l.status, l.requested_at, l.available_at, l.settled_at,
            CAST(timezone(w.timezone, l.requested_at) AS DATE) AS local_date, l.local_day, l.topup_id, l.ref, l.note
       FROM ledger_movements l JOIN phone_numbers p ON p.phone_number_id = l.phone_number_id
       JOIN wabas w ON w.waba_id = p.waba_id
      WHERE l.phone_number_id = ANY($phones::VARCHAR[])
        AND CAST(timezone(w.timezone, l.requested_at) AS DATE) BETWEEN CAST($from_day AS DATE) AND CAST($to_day AS DATE)
      ORDER BY l.seq`,
    { phones: [...scope.phoneNumberIds], from_day: scope.fromDay, to_day: scope.toDay },
  );
  return JSON.stringify(rows);
}
