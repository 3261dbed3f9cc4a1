/**
 * The start of a number's prepaid account: the WABA-local day from which usage charges debit its balance. It is
 * the local day of the first top-up (pending or settled), or an earlier day the partner sets. A customer's
 * history ingested into a new account therefore stays out of its balance, and a partner who wants the history
 * charged moves the start back. The start can never move past the first top-up: charges after money came in
 * always count, so no start date can hand a balance money it did not receive.
 */
import type { Queryable } from '../db/db.js';
import { ConflictError } from '../errors.js';
import { writeAudit } from '../funding/audit.js';
import type { FundingContext } from '../funding/context.js';
import { localDayOf } from '../kernel/local-time.js';
import { normalizeScope } from '../kernel/waba-month.js';
import { syncLedgerCharges } from './sync-charges.js';

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

/** The account start of one number and where it comes from. */
export async function getAccountStart(db: Queryable, phoneNumberId: string): Promise<AccountStart> {
  const [r] = await db.all<{
    set_on: string | null;
    first_topup_on: string | null;
    starts_on: string | null;
  }>(
    `SELECT strftime(b.starts_on, '%Y-%m-%d') AS set_on, strftime(s.first_day, '%Y-%m-%d') AS first_topup_on,
            strftime(least(b.starts_on, s.first_day), '%Y-%m-%d') AS starts_on
       FROM (SELECT $p AS phone_number_id) q
       LEFT JOIN balance_starts b USING (phone_number_id)
       LEFT JOIN (SELECT l.phone_number_id, min(CAST(timezone(w.timezone, l.requested_at) AS DATE)) AS first_day
                    FROM ledger_movements l JOIN phone_numbers p USING (phone_number_id) JOIN wabas w USING (waba_id)
                   WHERE l.phone_number_id = $p AND l.kind LIKE 'topup_%' AND l.status <> 'failed'
                   GROUP BY 1) s USING (phone_number_id)`,
    { p: phoneNumberId },
  );
  const startsOn = r?.starts_on ?? null;
  const setOn = r?.set_on ?? null;
  return {
    phone_number_id: phoneNumberId,
    starts_on: startsOn,
    source: startsOn === null ? null : setOn !== null && setOn === startsOn ? 'partner' : 'first_topup',
    set_on: setOn,
    first_topup_on: r?.first_topup_on ?? null,
  };
}

/**
 * Sets (or, with null, clears) the partner's start date of a number, audits it, and brings the ledger's usage
 * charges in line with the new start. Refuses a day after the first top-up or in the future.
 */
export async function setAccountStart(
  tx: Queryable,
  input: { phoneNumberId: string; wabaId: string; timezone: string; startsOn: string | null; actor: string },
  ctx: FundingContext,
): Promise<AccountStart> {
  const before = await getAccountStart(tx, input.phoneNumberId);
  const now = ctx.now();
  if (input.startsOn !== null) {
    const today = localDayOf(now.getTime(), input.timezone);
    if (input.startsOn > today)
      throw new ConflictError(
        `The account cannot start in the future (today is ${today} in ${input.timezone}).`,
      );
    if (before.first_topup_on !== null && input.startsOn > before.first_topup_on)
      throw new ConflictError(
        `The account cannot start after its first top-up (${before.first_topup_on}): charges after money came in always count.`,
      );
    await tx.run('INSERT OR REPLACE INTO balance_starts VALUES ($p, $d::DATE, $now::TIMESTAMPTZ, $actor)', {
      p: input.phoneNumberId,
      d: input.startsOn,
      now: now.toISOString(),
      actor: input.actor,
    });
  } else {
    await tx.run('DELETE FROM balance_starts WHERE phone_number_id = $p', { p: input.phoneNumberId });
  }
  await writeAudit(tx, {
    phone_number_id: input.phoneNumberId,
    actor: input.actor,
    action: 'account_start',
    at: now,
    before: { set_on: before.set_on, starts_on: before.starts_on },
    after: { set_on: input.startsOn },
  });
  await resyncNumberCharges(tx, input.phoneNumberId, input.wabaId, ctx);
  return getAccountStart(tx, input.phoneNumberId);
}

/** Re-posts the usage charges of every month a number has usage in (after its start moved). */
export async function resyncNumberCharges(
  tx: Queryable,
  phoneNumberId: string,
  wabaId: string,
  ctx: FundingContext,
): Promise<void> {
  const months = await tx.all<{ waba_id: string; month: string }>(
    `SELECT DISTINCT waba_id, strftime(local_month, '%Y-%m-%d') AS month FROM usage_daily WHERE phone_number_id = $p
     UNION SELECT DISTINCT $w AS waba_id, strftime(date_trunc('month', local_day), '%Y-%m-%d') AS month
       FROM ledger_movements WHERE phone_number_id = $p AND local_day IS NOT NULL`,
    { p: phoneNumberId, w: wabaId },
  );
  await syncLedgerCharges(tx, normalizeScope(months), ctx);
}
