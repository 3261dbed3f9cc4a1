/**
 * The services an app needs beside its store, clock and configuration, built once per store by the host (node.ts,
 * the test harness) on a store opened through openStore (migrated, pricing data seeded) and handed to createApp
 * in AppDeps: the gate's and the API keys' process memory, created for that store alone.
 */
import type { Config } from './config.js';
import type { Db } from './db/db.js';
import type { Logger } from './env.js';
import type { AppDeps, AppServices } from './app-deps.js';
import { ApiKeyCache } from './auth/api-key-cache.js';
import { createGateServices } from './gate/gate-services.js';
import { domainContextOf } from './kernel/domain-context.js';

/**
 * The services of the stores, without touching them: the gate's on the money plane (its usage counts on the
 * analytics plane). One store serves both planes when given alone (STORE=duckdb).
 */
export function buildAppServices(
  stores: Db | { readonly db: Db; readonly money: Db },
  config: Config,
  log?: Logger,
): AppServices {
  return { gate: createGateServices(stores, config, log), apiKeys: new ApiKeyCache() };
}

/**
 * The app's dependencies, with the domain context built once from their clock, configuration and gate cache.
 * Without `money` the money plane is `db` itself (STORE=duckdb).
 */
export function withDomainContext(
  deps: Omit<AppDeps, 'domain' | 'money'> & { readonly money?: Db },
): AppDeps {
  const gateBalances = deps.services.gate.balances;
  const domain = domainContextOf({ clock: deps.clock, config: deps.config, gateBalances });
  return { ...deps, money: deps.money ?? deps.db, domain };
}
