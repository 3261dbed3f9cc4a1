/**
 * Moving the start of a number's prepaid account (ledger/account-start.ts). The start can never move past the
 * first top-up: charges after money came in always count, so no start date can hand a balance money it did not
 * receive.
 */
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { ConflictError } from '../errors.js';
import { writeAudit } from './audit.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { localDayOf } from '../kernel/local-time.js';
import { getAccountStart, type AccountStart } from '../ledger/account-start.js';
import { normalizeScope } from '../kernel/waba-month.js';
import { postUsageCharges } from './post-usage-charges.js';

/**
 * Sets (or, with null, clears) the partner's start date of a number, audits it, and brings the ledger's usage
 * charges in line with the new start. Refuses a day after the first top-up or in the future.
 */
export async function setAccountStart(
  planes: Queryable | Planes,
  input: { phoneNumberId: string; wabaId: string; timezone: string; startsOn: string | null; actor: string },
  ctx: DomainContext,
): Promise<AccountStart> {
  const tx = asPlanes(planes).money;
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
    await tx.run(
      `INSERT INTO balance_starts VALUES ($p, $d::DATE, $now::TIMESTAMPTZ, $actor) ON CONFLICT (phone_number_id)
         DO UPDATE SET starts_on = excluded.starts_on, set_at = excluded.set_at, set_by = excluded.set_by`,
      {
        p: input.phoneNumberId,
        d: input.startsOn,
        now: now.toISOString(),
        actor: input.actor,
      },
    );
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
  await resyncNumberCharges(planes, input.phoneNumberId, input.wabaId, ctx);
  return getAccountStart(tx, input.phoneNumberId);
}

/**
 * Re-posts the usage charges of every month a number has usage in (analytics) or postings in (money), after
 * its start moved.
 */
export async function resyncNumberCharges(
  planes: Queryable | Planes,
  phoneNumberId: string,
  wabaId: string,
  ctx: DomainContext,
): Promise<void> {
  const p = asPlanes(planes);
  const used = await p.analytics.all<{ waba_id: string; month: string }>(
    `SELECT DISTINCT waba_id, strftime(local_month, '%Y-%m-%d') AS month FROM usage_daily WHERE phone_number_id = $p`,
    { p: phoneNumberId },
  );
  const posted = await p.money.all<{ day: string }>(
    'SELECT DISTINCT local_day AS day FROM ledger_movements WHERE phone_number_id = $p AND local_day IS NOT NULL',
    { p: phoneNumberId },
  );
  const months = [...used, ...posted.map((r) => ({ waba_id: wabaId, month: `${r.day.slice(0, 7)}-01` }))];
  await postUsageCharges(p, normalizeScope(months), ctx);
}
