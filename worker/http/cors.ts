/**
 * CORS per partner. A browser origin may read an answer when it is in the allowed origins of the partner the
 * token belongs to; error answers get the header too (a widget must be able to read "expired" or "not
 * found"). Answers that carry no partner data — preflights, and errors raised before a token is known (401) —
 * are allowed for any origin some partner allows. A refused preflight answers a problem that names the
 * origin, for the developer reading the network panel; the widget itself learns the reason from
 * `POST /v1/embed-tokens/origin-check`, which needs no CORS permission.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Queryable } from '../db/db.js';
import type { AppEnv } from '../env.js';
import { OriginNotAllowedError } from '../errors.js';
import { problemResponse, toProblem } from './problem.js';

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Accept';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const EXPOSE_HEADERS = 'X-Request-Id, Content-Disposition';

/** True when some partner allows the origin. */
export async function originAllowedForAnyPartner(db: Queryable, origin: string): Promise<boolean> {
  const rows = await db.all('SELECT 1 FROM partner_origins WHERE origin = $o LIMIT 1', { o: origin });
  return rows.length > 0;
}

/** True when this partner allows the origin. */
export async function originAllowedForPartner(
  db: Queryable,
  partnerId: string,
  origin: string,
): Promise<boolean> {
  const rows = await db.all('SELECT 1 FROM partner_origins WHERE partner_id = $p AND origin = $o', {
    p: partnerId,
    o: origin,
  });
  return rows.length > 0;
}

async function allowed(c: Context<AppEnv>, origin: string): Promise<boolean> {
  const db = c.var.deps.db;
  const p = c.get('principal');
  if (!p) return originAllowedForAnyPartner(db, origin);
  // The admin API is for servers, never for pages.
  if (p.kind === 'admin') return false;
  return originAllowedForPartner(db, p.partnerId, origin);
}

/** The one CORS middleware of /v1: answers preflights, then labels every answer (errors included). */
export function cors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS' && origin) {
      if (!(await originAllowedForAnyPartner(c.var.deps.db, origin))) {
        const problem = toProblem(new OriginNotAllowedError(origin), c.var.deps.log, c.var.requestId);
        return problemResponse(problem, { Vary: 'Origin' });
      }
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    await next();
    if (!origin) return;
    c.res.headers.append('Vary', 'Origin');
    // A route that answers every origin (the origin check) has set its own header.
    if (c.res.headers.has('Access-Control-Allow-Origin')) return;
    if (await allowed(c, origin)) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
  };
}
