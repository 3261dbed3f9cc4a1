/**
 * The embedded default: one DuckDB file, the Hono app on @hono/node-server, widgets and the demo portal served
 * from the same origin, demo data loaded on first start.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from './app.js';
import { DEMO_PARTNER_ID } from '../data/demo/demo-profile.js';
import { mintDemoEmbedToken } from './routes/embed-tokens.js';
import { systemClock } from './clock.js';
import { ConfigError, normalizeConfig } from './config.js';
import { DuckDbStore } from './db/duckdb-store.js';
import { flushGateState } from './gate/gate-state-store.js';
import type { AppEnv } from './env.js';
import { jsonLogger, nodeHost } from './node-host.js';
import { serveWidgetAssets } from './serve-widget-assets.js';
import { startup } from './startup.js';

async function main(): Promise<void> {
  let config;
  try {
    config = normalizeConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = jsonLogger(config.logLevel);
  const db = await DuckDbStore.open({ path: config.dbPath });
  const deps = { db, clock: systemClock, config, log, host: nodeHost(db, config.query) };
  const stopJobs = await startup(deps);

  const api = createApp(deps);
  const root = new Hono<AppEnv>();
  if (config.demoData) {
    // DEMO ONLY: lets the demo portal at / get an embed token for the demo partner without a partner back end.
    root.get('/demo/embed-token', async (c) => {
      const minted = await mintDemoEmbedToken(deps, DEMO_PARTNER_ID);
      return minted ? c.json(minted) : c.json({ detail: 'No demo data loaded.' }, 404);
    });
  }
  root.route('/', api);
  root.use('/*', serveWidgetAssets(config.widgetsDir));

  const server = serve({ fetch: root.fetch, port: config.port, hostname: config.host }, (info) => {
    log.info('listening', { url: `http://localhost:${info.port}`, db: config.dbPath });
  });
  const shutdown = () => {
    log.info('shutting down');
    stopJobs();
    server.close(() => {
      void flushGateState(db)
        .catch((err: unknown) => log.error('gate state flush failed', { error: String(err) }))
        .then(() => db.close())
        .finally(() => process.exit(0));
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
