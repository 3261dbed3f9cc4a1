/**
 * The ledger sync with what follows a balance change: the usage charges of the scope are posted (through the
 * ledger's door, on the money plane), then every number whose balance moved gets its after-change effects
 * (renewal, alerts, gate) once the money transaction commits.
 */
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { syncLedgerCharges } from '../ledger/sync-charges.js';
import type { WabaMonth } from '../kernel/waba-month.js';
import { afterLedgerChange } from './after-ledger-change.js';
import type { DomainContext } from '../kernel/domain-context.js';

/** Posts the scope's usage charges and reacts to each changed balance; returns the numbers touched. */
export async function postUsageCharges(
  planes: Queryable | Planes,
  scope: readonly WabaMonth[],
  ctx: DomainContext,
): Promise<string[]> {
  const p = asPlanes(planes);
  const touched = await syncLedgerCharges(p, scope, ctx.now());
  await afterLedgerChange(p, touched, ctx);
  return touched;
}
