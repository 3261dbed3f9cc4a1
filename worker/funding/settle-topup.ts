/**
 * Moves a pending top-up to settled or failed exactly once (later calls are no-ops), with its ledger rows.
 * A failed auto/emergency payment counts toward the failure streak: each raises renewal_failed, and the third
 * in a row turns auto-renewal off (audited as actor "system") and raises renewal_disabled.
 */
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { resolveTopUpMovements } from '../ledger/ledger.js';
import { afterLedgerChange } from './after-ledger-change.js';
import { clearAlert, raiseAlert } from '../alerts/alert-table.js';
import { getAutoRenewal } from './auto-renewal.js';
import { writeAudit } from './audit.js';
import type { DomainContext } from '../kernel/domain-context.js';

export const MAX_FAILED_RENEWALS = 3;

export interface SettleResult {
  readonly changed: boolean;
  readonly status: 'pending' | 'settled' | 'failed';
}

export async function settleTopUp(
  planes: Queryable | Planes,
  topupId: string,
  outcome: 'settled' | 'failed',
  ctx: DomainContext,
  reason: string | null = null,
): Promise<SettleResult | null> {
  const tx = asPlanes(planes).money;
  const now = ctx.now().toISOString();
  const rows = await tx.all<{
    phone_number_id: string;
    kind: string;
    status: 'pending' | 'settled' | 'failed';
  }>('SELECT phone_number_id, kind, status FROM topups WHERE topup_id = $id', { id: topupId });
  const t = rows[0];
  if (!t) return null;
  if (t.status !== 'pending') return { changed: false, status: t.status };
  await tx.run(
    `UPDATE topups SET status = $s, settled_at = CASE WHEN $s = 'settled' THEN $now::TIMESTAMPTZ END,
        failed_at = CASE WHEN $s = 'failed' THEN $now::TIMESTAMPTZ END, failure_reason = $reason
      WHERE topup_id = $id AND status = 'pending'`,
    { id: topupId, s: outcome, now, reason },
  );
  await resolveTopUpMovements(tx, topupId, outcome, ctx.now());
  const renewal = t.kind === 'auto' || t.kind === 'emergency';
  if (renewal && outcome === 'settled') {
    await tx.run('UPDATE auto_renewals SET consecutive_failures = 0 WHERE phone_number_id = $p', {
      p: t.phone_number_id,
    });
  }
  if (renewal && outcome === 'failed')
    await recordRenewalFailure(tx, t.phone_number_id, topupId, reason, ctx);
  await afterLedgerChange(planes, t.phone_number_id, ctx);
  return { changed: true, status: outcome };
}

async function recordRenewalFailure(
  tx: Queryable,
  phoneNumberId: string,
  topupId: string,
  reason: string | null,
  ctx: DomainContext,
): Promise<void> {
  const before = await getAutoRenewal(tx, phoneNumberId);
  if (!before) return;
  const failures = before.consecutive_failures + 1;
  await tx.run('UPDATE auto_renewals SET consecutive_failures = $n WHERE phone_number_id = $p', {
    p: phoneNumberId,
    n: failures,
  });
  await raiseAlert(tx, {
    phone_number_id: phoneNumberId,
    kind: 'renewal_failed',
    message: `An automatic top-up payment failed (${failures} in a row).`,
    data: { topup_id: topupId, reason, consecutive_failures: failures },
    now: ctx.now(),
  });
  if (failures < MAX_FAILED_RENEWALS || !before.enabled) return;
  await tx.run(
    `UPDATE auto_renewals SET enabled = false, disabled_reason = 'payment_failures' WHERE phone_number_id = $p`,
    { p: phoneNumberId },
  );
  await writeAudit(tx, {
    phone_number_id: phoneNumberId,
    actor: 'system',
    action: 'auto_renewal.disabled_after_failures',
    at: ctx.now(),
    before,
    after: await getAutoRenewal(tx, phoneNumberId),
  });
  await clearAlert(tx, phoneNumberId, 'renewal_disabled', ctx.now());
  await raiseAlert(tx, {
    phone_number_id: phoneNumberId,
    kind: 'renewal_disabled',
    message: `Auto-renewal was turned off after ${failures} failed payments in a row.`,
    data: { topup_id: topupId, consecutive_failures: failures },
    now: ctx.now(),
  });
}
