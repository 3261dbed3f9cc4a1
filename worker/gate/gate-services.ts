/**
 * The send gate's process memory for one store: customer windows (the state store), remembered positive
 * balances, checked numbers, R5 service counts, rate cards and the balance held for paid sends. The host builds it once with the store and hands it to the
 * app (AppDeps.services), so two stores in one process never share or mix their caches.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import { GateBalanceCache } from './balance-cache.js';
import { GateHolds } from './gate-holds.js';
import { GateStateStore, gateStoreOptions } from './gate-state-store.js';
import { GateNumberCache } from './load-gate-number.js';
import { SendPriceBook } from './send-price-book.js';
import { ServiceAllowanceCache } from './service-allowance.js';

export interface GateServices {
  readonly state: GateStateStore;
  readonly balances: GateBalanceCache;
  readonly numbers: GateNumberCache;
  readonly allowances: ServiceAllowanceCache;
  /** What a paid send will cost (the analytics plane's rate cards). */
  readonly prices: SendPriceBook;
  /** The balance this process holds for paid sends (the money plane). */
  readonly holds: GateHolds;
}

/**
 * The gate's services, with the state store's options from the configuration: customer state, balances and
 * numbers on the money plane, the month's delivered service messages (usage) on the analytics plane. One store
 * serves both when given alone.
 */
export function createGateServices(
  stores: Db | { readonly db: Db; readonly money: Db },
  config: Pick<Config, 'gateWriteThrough' | 'gateFlushMs' | 'gateMaxCustomers' | 'gateHolds' | 'replicaId'>,
  log?: Logger,
): GateServices {
  const { db, money } = 'money' in stores ? stores : { db: stores, money: stores };
  const state = new GateStateStore(money, gateStoreOptions(config));
  const holds = new GateHolds(money, config.replicaId, config.gateHolds);
  if (log) state.useLogger(log);
  if (log) holds.useLogger(log);
  const balances = new GateBalanceCache(money);
  // A ledger change (a charge, a top-up) is met by a new hold on the new balance at the number's next paid send.
  balances.onInvalidate((phone) => void holds.giveBack(phone));
  return {
    state,
    balances,
    numbers: new GateNumberCache(money),
    allowances: new ServiceAllowanceCache(db),
    prices: new SendPriceBook(db),
    holds,
  };
}
