/**
 * The gate services of a store a test opened by itself (what a host builds once per store): the same object for
 * every call with the same store, so a test reads as a process serving that store.
 */
import { normalizeConfig, type Config } from '../../worker/config.js';
import type { Db } from '../../worker/db/db.js';
import type { Logger } from '../../worker/env.js';
import { createGateServices, type GateServices } from '../../worker/gate/gate-services.js';
import { GateStateStore, type GateStoreOptions } from '../../worker/gate/gate-state-store.js';

const made = new Map<Db, GateServices>();

/** The first call for a store decides its configuration (or state store options) and logger. */
export function gateOf(
  db: Db,
  opts: {
    config?: Pick<
      Config,
      'gateWriteThrough' | 'gateFlushMs' | 'gateMaxCustomers' | 'gateHolds' | 'replicaId'
    >;
    state?: GateStoreOptions;
    log?: Logger;
  } = {},
): GateServices {
  let g = made.get(db);
  if (!g) {
    g = createGateServices(db, opts.config ?? normalizeConfig({}), opts.log);
    if (opts.state) {
      const state = new GateStateStore(db, opts.state);
      if (opts.log) state.useLogger(opts.log);
      g = { ...g, state };
    }
    made.set(db, g);
  }
  return g;
}
