/**
 * A test's money transaction with the planes seen from it (db/planes.ts): both planes are the transaction when
 * the harness runs on one store, the analytics store and the money transaction when TEST_MONEY_STORE splits them.
 */
import type { Db } from '../../worker/db/db.js';
import { planesOf, type Planes } from '../../worker/db/planes.js';

export function inMoneyTx<T>(
  h: { readonly db: Db; readonly money: Db },
  fn: (planes: Planes) => Promise<T>,
): Promise<T> {
  return h.money.transaction((tx) => fn(planesOf(h, tx)));
}
