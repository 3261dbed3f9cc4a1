/**
 * Phone numbers an ingest met for the first time are registered in the analytics plane, inside the batch's
 * transaction (ingest/register-phones.ts); the money plane, where access checks and the ledger look numbers up,
 * learns them here, after that commit and before the batch's charges are posted. Idempotent: a number the money
 * plane knows already stays as it is, and a number whose WABA it does not know is left out (counted) rather
 * than refused, so a repeat after a crash, or the startup refresh, can always run it again.
 */
import type { Db, Queryable } from '../db/db.js';

export interface RegisteredPhone {
  readonly phone_number_id: string;
  readonly waba_id: string;
  readonly display_phone_number: string | null;
  /** When the analytics plane registered it (any TIMESTAMPTZ text), kept so both planes say the same. */
  readonly created_at: string;
}

export interface MoneyRegistration {
  /** Numbers new to the money plane. */
  readonly registered: number;
  /** Numbers left out because the money plane does not know their WABA. */
  readonly unknownWaba: number;
}

// One text for DuckDB and Postgres: parallel lists unnested in step (both zip them), '' for no display number.
const INSERT_SQL = `
  INSERT INTO phone_numbers (phone_number_id, waba_id, display_phone_number, label, created_at)
  SELECT n.id, n.waba, NULLIF(n.display, ''), NULL, n.created::TIMESTAMPTZ
    FROM (SELECT unnest($ids::VARCHAR[]) AS id, unnest($wabas::VARCHAR[]) AS waba,
                 unnest($displays::VARCHAR[]) AS display, unnest($created::VARCHAR[]) AS created) n
   WHERE n.waba IN (SELECT waba_id FROM wabas)
  ON CONFLICT (phone_number_id) DO NOTHING`;

const COUNT_SQL = `
  SELECT count(*)::INTEGER AS n FROM phone_numbers WHERE phone_number_id IN (SELECT unnest($ids::VARCHAR[]))`;

async function countKnown(tx: Queryable, ids: readonly string[]): Promise<number> {
  const [r] = await tx.all<{ n: number }>(COUNT_SQL, { ids: [...ids] });
  return Number(r?.n ?? 0);
}

/** Registers the numbers the money plane lacks, in one money transaction. */
export async function registerPhonesInMoney(
  money: Db,
  rows: readonly RegisteredPhone[],
): Promise<MoneyRegistration> {
  const byId = new Map(rows.map((r) => [r.phone_number_id, r]));
  if (byId.size === 0) return { registered: 0, unknownWaba: 0 };
  const list = [...byId.values()];
  const ids = list.map((r) => r.phone_number_id);
  return money.transaction(async (tx) => {
    const before = await countKnown(tx, ids);
    await tx.run(INSERT_SQL, {
      ids,
      wabas: list.map((r) => r.waba_id),
      displays: list.map((r) => r.display_phone_number ?? ''),
      created: list.map((r) => r.created_at),
    });
    const after = await countKnown(tx, ids);
    return { registered: after - before, unknownWaba: ids.length - after };
  });
}
