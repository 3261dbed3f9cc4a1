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

/** The gate's services for `db`, with the state store's options from the configuration. */
export function createGateServices(
  db: Db,
  config: Pick<Config, 'gateWriteThrough' | 'gateFlushMs' | 'gateMaxCustomers'>,
  log?: Logger,
): GateServices {
  const state = new GateStateStore(db, gateStoreOptions(config));
  if (log) state.useLogger(log);
  return {
    state,
    balances: new GateBalanceCache(db),
    numbers: new GateNumberCache(db),
    allowances: new ServiceAllowanceCache(db),
  };
}
