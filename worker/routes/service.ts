/** GET /v1/health and GET /v1/openapi.json: the service itself, both without a token. */
import { z } from 'zod';
import { defineRoute, type RouteApp } from './define-route.js';
import { ok } from './doc-schemas.js';
import { openApiDocument } from './openapi-document.js';

const health = z.object({ status: z.literal('ok'), time: z.iso.datetime() });

/** Adds the service routes to the tree whose document /v1/openapi.json publishes. */
export function addServiceRoutes(api: RouteApp): void {
  defineRoute(
    api,
    {
      method: 'get',
      path: '/v1/health',
      summary: 'Liveness: answers while the service runs',
      security: [],
      responses: ok('Running', health),
    },
    (c) => c.json({ status: 'ok', time: c.var.deps.clock.now().toISOString() }),
  );
  let document: Record<string, unknown> | undefined;
  defineRoute(
    api,
    {
      method: 'get',
      path: '/v1/openapi.json',
      summary: 'This OpenAPI 3.1 document, generated from the route definitions',
      security: [],
      responses: ok('The document'),
    },
    // Built on first request, once every route of the tree is registered.
    (c) => c.json((document ??= openApiDocument(api))),
  );
}
