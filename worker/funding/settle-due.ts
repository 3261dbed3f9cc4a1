/**
 * Background jobs of the funding area. settleDueTopUps is the built-in simulated payment processor: every
 * pending top-up whose available_at has passed settles (or fails, for a card over SIMULATED_CARD_LIMIT), each
 * in its own transaction and exactly once (the status guard makes a re-run after a crash a no-op for what
 * already settled). checkAllRenewals re-checks every
 * configured number, so a renewal also fires when the balance changed without a sync (e.g. a refund) or a
 * previous attempt failed.
 */
import { toMicros } from '../kernel/money.js';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import { planesOf } from '../db/planes.js';
import { reactToBalances } from './after-ledger-change.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { settleTopUp } from './settle-topup.js';

export interface FundingJobDeps {
  /** The analytics plane: usage a renewal that starts an account posts. */
  readonly db: Db;
  /** The money plane: top-ups, the ledger and renewal settings. */
  readonly money: Db;
  readonly domain: DomainContext;
  readonly config: Pick<Config, 'simulatedCardLimit'>;
}

/** Settles the simulated top-ups that are due; returns how many settled. */
export async function settleDueTopUps(deps: FundingJobDeps): Promise<number> {
  const ctx = deps.domain;
  const due = await deps.money.all<{ topup_id: string; payment_method: string; total: string }>(
    `SELECT topup_id, payment_method, total::VARCHAR AS total FROM topups
      WHERE status = 'pending' AND available_at <= $now::TIMESTAMPTZ ORDER BY available_at, topup_id`,
    { now: ctx.now().toISOString() },
  );
  let settled = 0;
  const limit = deps.config.simulatedCardLimit;
  for (const t of due) {
    // DOMAIN.md §7.2: a card whose limit is below the amount makes the payment (and the renewal) fail.
    const declined = limit !== null && t.payment_method === 'card' && toMicros(t.total) > toMicros(limit);
    const r = await deps.money.transaction((tx) =>
      declined
        ? settleTopUp(
            planesOf(deps, tx),
            t.topup_id,
            'failed',
            ctx,
            'card limit exceeded (simulated processor)',
          )
        : settleTopUp(planesOf(deps, tx), t.topup_id, 'settled', ctx),
    );
    if (r?.changed && !declined) settled++;
  }
  return settled;
}

/** Runs the auto-renewal check (and low-balance alert) for every number with saved settings. */
export async function checkAllRenewals(deps: FundingJobDeps): Promise<void> {
  const ctx = deps.domain;
  const phones = await deps.money.all<{ phone_number_id: string }>(
    'SELECT phone_number_id FROM auto_renewals ORDER BY phone_number_id',
  );
  const ids = phones.map((p) => p.phone_number_id);
  await deps.money.transaction((tx) => reactToBalances(planesOf(deps, tx), ids, ctx));
}
