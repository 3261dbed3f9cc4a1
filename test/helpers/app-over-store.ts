/**
 * The HTTP app over a store a benchmark opened itself: system clock, silent log, the Node host's capabilities;
 * `money` is the money plane when it is a store of its own (STORE=pglite|postgres).
 */
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { createApp } from '../../worker/app.js';
import { systemClock } from '../../worker/clock.js';
import type { Config } from '../../worker/config.js';
import type { Db } from '../../worker/db/db.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { silentLogger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';

export function appOverStore(store: DuckDbStore, config: Config, money?: Db): ReturnType<typeof createApp> {
  return createApp(
    withDomainContext({
      db: store,
      ...(money ? { money } : {}),
      clock: systemClock,
      config,
      log: silentLogger,
      host: nodeHost(store),
      services: buildAppServices(money ? { db: store, money } : store, config),
    }),
  );
}
