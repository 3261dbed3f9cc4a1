/**
 * A route is defined once: method, path, the zod schemas of its query, path, headers and JSON body, its answers
 * and its guards. defineRoute registers that definition in the OpenAPI registry (the document is generated from
 * it) and mounts the handler behind the guards and one validator for its declared parts (worker/http/validate.ts),
 * so what the document says a route accepts is exactly what the route checks. (OpenAPIHono.openapi would parse
 * a JSON body with Hono's own validator, whose bad-JSON and media-type answers are not this API's problems.)
 */
import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-deps.js';
import { validate, type InputPart } from '../http/validate.js';

export type RouteApp = OpenAPIHono<AppEnv>;

export function routeApp(): RouteApp {
  return new OpenAPIHono<AppEnv>();
}

/** The handler's context: `c.req.valid(...)` typed by the route's schemas. */
export type RouteContext<R extends RouteConfig> = Parameters<RouteHandler<R, AppEnv>>[0];

/** The request parts a route declares, validated in this order after its guards. */
function inputParts(request: RouteConfig['request']): InputPart[] {
  const out: InputPart[] = [];
  if (!request) return out;
  const headers = Array.isArray(request.headers) ? undefined : request.headers;
  if (headers instanceof z.ZodType) out.push({ target: 'header', schema: headers });
  if (request.query) out.push({ target: 'query', schema: request.query });
  if (request.params) out.push({ target: 'param', schema: request.params });
  const content = request.body?.content ?? {};
  const types = Object.keys(content);
  // Only a JSON-only body is checked before the handler; a route taking several formats picks the format first
  // and checks a JSON body with the same schema through parseJsonBody.
  const media = content['application/json'];
  const json = media && 'schema' in media ? media.schema : undefined;
  if (types.length === 1 && json instanceof z.ZodType) out.push({ target: 'json', schema: json });
  return out;
}

export function defineRoute<const R extends RouteConfig>(
  app: RouteApp,
  route: R,
  handler: (c: RouteContext<R>) => Response | Promise<Response>,
): RouteApp {
  const { middleware, hide, ...doc } = route;
  if (!hide) app.openAPIRegistry.registerPath(doc);
  const guards = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware];
  const parts = inputParts(route.request);
  const validators = parts.length > 0 ? [validate(parts)] : [];
  const chain = [...guards, ...validators, handler] as MiddlewareHandler<AppEnv>[];
  app.on(route.method.toUpperCase(), [route.path.replaceAll(/\{(\w+)\}/g, ':$1')], ...chain);
  return app;
}
