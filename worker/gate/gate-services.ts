/**
 * The send gate's process memory for one store: customer windows (the state store), remembered positive
 * balances, checked numbers and R5 service counts. The host builds it once with the store and hands it to the
 * app (AppDeps.services), so two stores in one process never share or mix their caches.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import { GateBalanceCache } from './balance-cache.js';
import { GateStateStore, gateStoreOptions } from './gate-state-store.js';
import { GateNumberCache } from './load-gate-number.js';
import { ServiceAllowanceCache } from './service-allowance.js';

export interface GateServices {
  readonly state: GateStateStore;
  readonly balances: GateBalanceCache;
  readonly numbers: GateNumberCache;
  readonly allowances: ServiceAllowanceCache;
}

/**
 * The gate's services, with the state store's options from the configuration: customer state, balances and
 * numbers on the money plane, the month's delivered service messages (usage) on the analytics plane. One store
 * serves both when given alone.
 */
export function createGateServices(
  stores: Db | { readonly db: Db; readonly money: Db },
  config: Pick<Config, 'gateWriteThrough' | 'gateFlushMs' | 'gateMaxCustomers'>,
  log?: Logger,
): GateServices {
  const { db, money } = 'money' in stores ? stores : { db: stores, money: stores };
  const state = new GateStateStore(money, gateStoreOptions(config));
  if (log) state.useLogger(log);
  return {
    state,
    balances: new GateBalanceCache(money),
    numbers: new GateNumberCache(money),
    allowances: new ServiceAllowanceCache(db),
  };
}
