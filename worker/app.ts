/**
 * createApp builds the whole HTTP service from its dependencies. It reads no globals and imports nothing
 * Node-only, so the same routes run under Node (node.ts) and under workerd.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authenticate } from './auth/authenticate.js';
import type { AppDeps, AppEnv } from './env.js';
import { PayloadTooLargeError, NotFoundError, TooManyRequestsError } from './errors.js';
import { gateStateStore, gateStoreOptions } from './gate/gate-state-store.js';
import { cors } from './http/cors.js';
import { problemResponse, toProblem } from './http/problem.js';
import { openApiDocument } from './openapi/document.js';
import { balanceRoutes } from './routes/balance.js';
import { chargesRoutes } from './routes/charges.js';
import { embedTokensRoutes } from './routes/embed-tokens.js';
import { exportRoutes } from './routes/exports.js';
import { forecastUsageRoutes } from './routes/forecast-usage.js';
import { forecastsRoutes } from './routes/forecasts.js';
import { gateRoutes } from './routes/phone-numbers/authorize.js';
import { ingestRoutes } from './routes/ingest.js';
import { originCheckRoutes } from './routes/origin-check.js';
import { partnerRoutes } from './routes/partners.js';
import { phoneNumberRoutes } from './routes/phone-numbers/index.js';
import { pricingRoutes } from './routes/pricing.js';
import { queryRoutes } from './routes/query.js';
import { usageRoutes } from './routes/usage.js';
import { wabaRoutes } from './routes/wabas.js';

/** Paths under /v1 that carry no bearer token (they authenticate otherwise or are public). */
const PUBLIC_PATHS = new Set([
  '/v1/openapi.json',
  '/v1/health',
  '/v1/payments/webhook',
  '/v1/embed-tokens/origin-check',
]);

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let counter = 0;
  gateStateStore(deps.db, gateStoreOptions(deps.config)).useLogger(deps.log);

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set(
      'requestId',
      c.req.header('x-request-id') ?? `req_${Date.now().toString(36)}_${(counter++).toString(36)}`,
    );
    await next();
    c.res.headers.set('X-Request-Id', c.var.requestId);
  });
  // First, so that every answer below it, errors included, carries the CORS decision.
  app.use('/v1/*', cors());
  const limitBody = bodyLimit({
    maxSize: deps.config.bodyLimitBytes,
    onError: () => {
      throw new PayloadTooLargeError(deps.config.bodyLimitBytes);
    },
  });
  app.use('/v1/*', async (c, next) => {
    // Decide from the headers when they suffice (as bodyLimit does), without touching c.req.raw.body: under
    // @hono/node-server that access builds a full WHATWG Request per call, a large share of a hot route's cost.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (parseInt(length, 10) > deps.config.bodyLimitBytes)
        throw new PayloadTooLargeError(deps.config.bodyLimitBytes);
      return next();
    }
    return limitBody(c, next);
  });
  app.use('/v1/*', async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    return authenticate()(c, next);
  });

  app.get('/v1/health', (c) => c.json({ status: 'ok', time: deps.clock.now().toISOString() }));
  app.get('/v1/openapi.json', (c) => c.json(openApiDocument()));

  app.route('/v1/partners', partnerRoutes);
  app.route('/v1/wabas', wabaRoutes);
  app.route('/v1/phone-numbers', phoneNumberRoutes);
  app.route('/v1/ingest', ingestRoutes);
  app.route('/v1/usage', usageRoutes);
  app.route('/v1/charges', chargesRoutes);
  app.route('/v1', pricingRoutes);
  app.route('/v1/forecasts', forecastUsageRoutes);
  app.route('/v1/forecasts', forecastsRoutes);
  app.route('/v1', balanceRoutes);
  app.route('/v1', gateRoutes);
  app.route('/v1/embed-tokens/origin-check', originCheckRoutes);
  app.route('/v1/embed-tokens', embedTokensRoutes);
  app.route('/v1/exports', exportRoutes);
  app.route('/v1/query', queryRoutes);

  app.notFound((c) => {
    const p = toProblem(
      new NotFoundError(`Route ${c.req.method} ${c.req.path}`),
      deps.log,
      c.var.requestId ?? '',
    );
    return problemResponse(p);
  });
  app.onError((err, c) => {
    // The cors() middleware labels this answer on its way out, like any other.
    const headers: Record<string, string> = {};
    if (err instanceof TooManyRequestsError) headers['Retry-After'] = String(err.retryAfterSeconds);
    return problemResponse(toProblem(err, deps.log, c.var.requestId ?? ''), headers);
  });
  return app;
}
