/**
 * The start of a number's prepaid account: the WABA-local day from which usage charges debit its balance. It is
 * the local day of the first top-up (pending or settled), or an earlier day the partner sets. A customer's
 * history ingested into a new account therefore stays out of its balance, and a partner who wants the history
 * charged moves the start back (funding/set-account-start.ts).
 */
import type { Queryable } from '../db/db.js';

export interface AccountStart {
  readonly phone_number_id: string;
  /** Local day ('YYYY-MM-DD') from which charges debit the balance; null = not started (nothing is debited). */
  readonly starts_on: string | null;
  readonly source: 'partner' | 'first_topup' | null;
  /** The partner's date, when one is set. */
  readonly set_on: string | null;
  readonly first_topup_on: string | null;
}

/**
 * SQL: (phone_number_id, starts_on) for the numbers of `phones` (a SELECT with a phone_number_id column).
 * least() skips NULLs, so either source alone decides.
 */
export function accountStartsSql(phones: string): string {
  return `
    SELECT ph.phone_number_id, least(b.starts_on, f.first_day) AS starts_on
      FROM (SELECT DISTINCT phone_number_id FROM (${phones}) x) ph
      LEFT JOIN balance_starts b ON b.phone_number_id = ph.phone_number_id
      LEFT JOIN (
        SELECT l.phone_number_id, min(CAST(timezone(w.timezone, l.requested_at) AS DATE)) AS first_day
          FROM ledger_movements l JOIN phone_numbers p ON p.phone_number_id = l.phone_number_id
          JOIN wabas w ON w.waba_id = p.waba_id
         WHERE l.kind LIKE 'topup_%' AND l.status <> 'failed'
           AND l.phone_number_id IN (SELECT phone_number_id FROM (${phones}) y)
         GROUP BY 1) f ON f.phone_number_id = ph.phone_number_id`;
}

/** phone number id → its account start ('YYYY-MM-DD', null = not started), for the given numbers (money plane). */
export async function readAccountStarts(
  money: Queryable,
  phoneNumberIds: readonly string[],
): Promise<Map<string, string | null>> {
  if (phoneNumberIds.length === 0) return new Map();
  const rows = await money.all<{ phone_number_id: string; starts_on: string | null }>(
    accountStartsSql('SELECT unnest($ids::VARCHAR[]) AS phone_number_id'),
    { ids: [...phoneNumberIds] },
  );
  return new Map(rows.map((r) => [r.phone_number_id, r.starts_on]));
}

/** The account start of one number and where it comes from. */
export async function getAccountStart(db: Queryable, phoneNumberId: string): Promise<AccountStart> {
  const [r] = await db.all<{ set_on: string | null; first_topup_on: string | null }>(
    `SELECT b.starts_on AS set_on, s.first_day AS first_topup_on
       FROM (SELECT $p::VARCHAR AS phone_number_id) q
       LEFT JOIN balance_starts b USING (phone_number_id)
       LEFT JOIN (SELECT l.phone_number_id, min(CAST(timezone(w.timezone, l.requested_at) AS DATE)) AS first_day
                    FROM ledger_movements l JOIN phone_numbers p USING (phone_number_id) JOIN wabas w USING (waba_id)
                   WHERE l.phone_number_id = $p AND l.kind LIKE 'topup_%' AND l.status <> 'failed'
                   GROUP BY l.phone_number_id) s USING (phone_number_id)`,
    { p: phoneNumberId },
  );
  const setOn = r?.set_on ?? null;
  const firstTopUpOn = r?.first_topup_on ?? null;
  // least() of the two, skipping a missing one (ISO days compare as text).
  const startsOn =
    setOn === null ? firstTopUpOn : firstTopUpOn === null || setOn <= firstTopUpOn ? setOn : firstTopUpOn;
  return {
    phone_number_id: phoneNumberId,
    starts_on: startsOn,
    source: startsOn === null ? null : setOn !== null && setOn === startsOn ? 'partner' : 'first_topup',
    set_on: setOn,
    first_topup_on: firstTopUpOn,
  };
}
