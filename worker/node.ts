/**
 * The embedded default: one DuckDB file, the Hono app on @hono/node-server, widgets and the demo portal served
 * from the same origin. Outside demo mode it refuses to start without a signing secret and an admin token; in
 * demo mode (`npm start`) it says so at start, binds to loopback and loads demo data on first start.
 */
import { keepConnectionsAlive } from './keep-alive.js';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from './app.js';
import { DEMO_PARTNER_ID } from '../data/demo/demo-profile.js';
import { mintDemoEmbedToken } from './routes/embed-tokens.js';
import { systemClock } from './clock.js';
import { checkServable, ConfigError, normalizeConfig } from './config.js';
import { openStore } from './pricing/open-store.js';
import { openMoneyPlane } from './db/open-money-store.js';
import { buildAppServices, withDomainContext } from './app-services.js';
import type { AppEnv } from './app-deps.js';
import { demoModeWarning, listenErrorLine, probeListen } from './listen-check.js';
import { ContinuousIntake } from './intake/continuous-intake.js';
import { startMicroBatcher } from './intake/micro-batcher.js';
import { openIngestLake } from './lake/open-ingest-lake.js';
import { s3ObjectStore } from './lake/s3-object-store.js';
import { uploadMissing } from './lake/sync-lake.js';
import { restoreFromLake } from './cli/restore-from-lake.js';
import { jsonLogger, nodeHost } from './node-host.js';
import { serveWidgetAssets } from './serve-widget-assets.js';
import { startup } from './startup.js';
import { writerElectionOn } from './election/writer-lake.js';
import { WriterRole } from './ledger/writer-role.js';

async function main(): Promise<void> {
  let config;
  try {
    config = normalizeConfig(process.env);
    checkServable(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (config.demoMode) process.stderr.write(`${demoModeWarning(config)}\n`);
  const failListen = (err: unknown) => {
    const line = listenErrorLine(err, config.host, config.port);
    if (line === null) throw err;
    process.stderr.write(`${line}\n`);
    process.exit(1);
  };
  const taken = await probeListen(config.host, config.port);
  if (taken) failListen(taken);
  const log = jsonLogger(config.logLevel);
  const restored = await restoreFromLake(config, log);
  if (restored) log.info('store restored from the ingest lake', { ...restored });
  const db = await openStore(
    {
      path: config.dbPath,
      onEffectError: (err) => log.error('after-commit effect failed', { error: String(err) }),
    },
    systemClock.now(),
  );
  const money = await openMoneyPlane(config, db, {
    onEffectError: (err) => log.error('after-commit effect failed', { error: String(err) }),
  });
  const baseServices = buildAppServices({ db, money }, config, log);
  const intakeDir = config.intake.dir;
  const intake = intakeDir
    ? await ContinuousIntake.open(db, { ...config.intake, dir: intakeDir })
    : undefined;
  // Replicas sharing the money plane and the lake elect their ingest writer (worker/election/).
  const services = {
    ...baseServices,
    ...(intake ? { intake } : {}),
    ...(writerElectionOn(config) ? { writer: new WriterRole() } : {}),
  };
  const ingestLake = openIngestLake(config, log);
  const deps = withDomainContext({
    db,
    money,
    clock: systemClock,
    config,
    log,
    services,
    host: nodeHost(db, config.query, {
      tempDir: config.tempDir,
      ...(ingestLake ? { ingestLake } : {}),
    }),
  });
  // The process id tells apart two processes of one replica name (a restart, or a name set twice by mistake).
  const replica = `${config.replicaId}-${process.pid}`;
  const stopJobs = await startup(deps, replica);
  // Files published while the object store was unreachable (or before it was configured) go up in the
  // background; the service does not wait for them.
  if (config.ingestLakeRemote && config.ingestLakeDir)
    uploadMissing(config.ingestLakeDir, s3ObjectStore(config.ingestLakeRemote)).then(
      (done) =>
        done.uploaded > 0 && log.info('ingest lake: uploaded what the object store missed', { ...done }),
      (err: unknown) => log.error('ingest lake: upload to the object store failed', { error: String(err) }),
    );
  // After startup's recoveries: what was accepted before a stop is derived first.
  const stopIntake = intake ? startMicroBatcher(intake, deps) : async () => undefined;

  const api = createApp(deps);
  const root = new Hono<AppEnv>();
  if (config.demoMode && config.demoData) {
    // DEMO ONLY: lets the demo portal at / get an embed token for the demo partner without a partner back end.
    root.get('/demo/embed-token', async (c) => {
      const minted = await mintDemoEmbedToken(deps, DEMO_PARTNER_ID);
      return minted ? c.json(minted) : c.json({ detail: 'No demo data loaded.' }, 404);
    });
  }
  root.route('/', api);
  root.use('/*', serveWidgetAssets(config.widgetsDir));

  const server = serve({ fetch: root.fetch, port: config.port, hostname: config.host }, (info) => {
    log.info('listening', {
      url: `http://localhost:${info.port}`,
      host: config.host,
      port: info.port,
      db: config.dbPath,
      store: config.moneyStore.kind,
      replica,
    });
  });
  server.on('error', failListen);
  keepConnectionsAlive(server, config.keepAliveMs);
  const shutdown = () => {
    log.info('shutting down');
    const jobsStopped = stopJobs();
    server.close(() => {
      void jobsStopped
        .then(() => stopIntake())
        .then(() => intake?.close())
        .catch((err: unknown) => log.error('intake stop failed', { error: String(err) }))
        .then(() => services.gate.state.flush())
        .catch((err: unknown) => log.error('gate state flush failed', { error: String(err) }))
        .then(() => (money === db ? undefined : money.close()))
        .then(() => db.close())
        .finally(() => process.exit(0));
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
