/**
 * The services an app needs beside its store, clock and configuration, built once per store by the host (node.ts,
 * the test harness) after the migrations and handed to createApp in AppDeps: the shipped pricing data is loaded,
 * and the gate's and the API keys' process memory is created for that store alone.
 */
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/db.js';
import type { Logger } from './env.js';
import type { AppDeps, AppServices } from './app-deps.js';
import { ApiKeyCache } from './auth/api-key-cache.js';
import { createGateServices } from './gate/gate-services.js';
import { domainContextOf } from './kernel/domain-context.js';
import { seedPricingData } from './pricing/seed-pricing-data.js';

/** The services of `db`, without touching it (a host whose store is seeded elsewhere, or not at all). */
export function buildAppServices(db: Db, config: Config, log?: Logger): AppServices {
  return { gate: createGateServices(db, config, log), apiKeys: new ApiKeyCache() };
}

/** Seeds the shipped pricing data (once per data version) and builds the services of `db`. */
export async function createAppServices(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Config;
  readonly log?: Logger;
}): Promise<AppServices> {
  await deps.db.transaction((tx) => seedPricingData(tx, deps.clock.now()));
  return buildAppServices(deps.db, deps.config, deps.log);
}

/** The app's dependencies, with the domain context built once from their clock, configuration and gate cache. */
export function withDomainContext(deps: Omit<AppDeps, 'domain'>): AppDeps {
  const gateBalances = deps.services.gate.balances;
  return { ...deps, domain: domainContextOf({ clock: deps.clock, config: deps.config, gateBalances }) };
}
