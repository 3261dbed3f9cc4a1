/**
 * What the send gate benchmark's numbers hold, written to the money plane with the service's own statements,
 * so the same code seeds DuckDB (in-process) and a Postgres server (replicas): `customers` customers each with
 * an open customer service window and open marketing and utility conversations ending in 20 h (so over CBP,
 * whose rate card has no conversation prices for today, no send opens a paid one; appended as one batch of
 * the gate's state log, which a number's first decision loads), and a settled one-time top-up large enough that
 * no paid send of the run is refused for the balance.
 */
import type { Db } from '../../worker/db/db.js';
import { HOUR_MS, emptyCustomerState } from '../../worker/gate/customer-state.js';
import { APPEND_SQL, encodeBatch } from '../../worker/gate/gate-state-sql.js';
import { appendMovement } from '../../worker/ledger/ledger.js';

/** The top-up per number in EUR: far above what a run spends (tens of thousands of paid sends at cents each). */
export const BENCH_BALANCE = '1000000';

/** The customers' wa_ids, as the load generator draws them. */
export const customerWaId = (i: number): string => String(4915000000000 + i);

export async function seedGateNumber(money: Db, phone: string, customers: number): Promise<void> {
  const now = Date.now();
  const open = now + 20 * HOUR_MS;
  const changes = Array.from({ length: customers }, (_, i) => {
    const state = emptyCustomerState();
    state.cswUntil = open;
    state.conv.marketing = open;
    state.conv.utility = open;
    return { phone, customer: customerWaId(i), state };
  });
  await money.run(APPEND_SQL, { batch: encodeBatch(changes), now: String(now) });
  await appendMovement(money, {
    phone_number_id: phone,
    kind: 'topup_one_time',
    amount: BENCH_BALANCE,
    currency: 'EUR',
    status: 'settled',
    requested_at: new Date(now),
  });
}
