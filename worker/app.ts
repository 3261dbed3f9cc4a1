/**
 * createApp builds the whole HTTP service from its dependencies. It reads no globals and imports nothing
 * Node-only, so the same routes run under Node (node.ts) and under workerd.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authenticate } from './http/authenticate.js';
import type { AppDeps, AppEnv } from './app-deps.js';
import { PayloadTooLargeError, NotFoundError, TooManyRequestsError } from './errors.js';
import { cors } from './http/cors.js';
import { problemResponse, toProblem } from './http/problem.js';
import { apiRoutes } from './routes/index.js';

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

  app.route('/', apiRoutes());

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
