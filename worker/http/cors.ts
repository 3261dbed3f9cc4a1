/**
 * CORS per partner. A browser origin may read an answer when it is in the allowed origins of the partner the
 * token belongs to; error answers get the header too (a widget must be able to read "expired" or "not
 * found"). Answers that carry no partner data — preflights, and errors raised before a token is known (401) —
 * are allowed for any origin some partner allows. A refused preflight answers a problem that names the
 * origin, for the developer reading the network panel; the widget itself learns the reason from
 * `POST /v1/embed-tokens/origin-check`, which needs no CORS permission.
 *
 * The origins are read from the money plane (the tenancy's truth), before the route runs, never after: a
 * streamed answer holds its reader connection until the body is sent, and a read after the route could queue
 * behind that very reader and wait forever.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Queryable } from '../db/db.js';
import type { AppEnv } from '../app-deps.js';
import { OriginNotAllowedError } from '../errors.js';
import { problemResponse, toProblem } from './problem.js';

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Accept';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const EXPOSE_HEADERS = 'X-Request-Id, Content-Disposition';

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

/** The partners that allow the origin. */
async function partnersAllowing(db: Queryable, origin: string): Promise<ReadonlySet<string>> {
  const rows = await db.all<{ partner_id: string }>(
    'SELECT partner_id FROM partner_origins WHERE origin = $o',
    { o: origin },
  );
  return new Set(rows.map((r) => r.partner_id));
}

function allowed(c: Context<AppEnv>, partners: ReadonlySet<string>): boolean {
  const p = c.get('principal');
  if (!p) return partners.size > 0;
  // The admin API is for servers, never for pages.
  if (p.kind === 'admin') return false;
  return partners.has(p.partnerId);
}

/** The one CORS middleware of /v1: answers preflights, then labels every answer (errors included). */
export function cors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const partners = origin ? await partnersAllowing(c.var.deps.money, origin) : new Set<string>();
    if (c.req.method === 'OPTIONS' && origin) {
      if (partners.size === 0) {
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
    if (allowed(c, partners)) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
  };
}
