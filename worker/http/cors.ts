/**
 * CORS per partner: a browser origin is allowed when it is in the allowed_origins of the partner the token
 * belongs to. Preflights carry no token, so they are answered for any origin that some partner allows.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Accept';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

async function originAllowedForAnyPartner(
  c: Parameters<MiddlewareHandler<AppEnv>>[0],
  origin: string,
): Promise<boolean> {
  const rows = await c.var.deps.db.all(
    'SELECT 1 FROM partners WHERE list_contains(allowed_origins, $o) LIMIT 1',
    { o: origin },
  );
  return rows.length > 0;
}

/** Answers preflights; runs before authentication. */
export function corsPreflight(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method !== 'OPTIONS' || !origin) return next();
    if (!(await originAllowedForAnyPartner(c, origin))) return c.body(null, 403);
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': ALLOW_METHODS,
      'Access-Control-Allow-Headers': ALLOW_HEADERS,
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    });
  };
}

/** Adds Access-Control-Allow-Origin after authentication, when the caller's partner allows the origin. */
export function corsForPartner(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const origin = c.req.header('origin');
    const p = c.get('principal');
    if (!origin || !p) return;
    const ok =
      p.kind === 'admin'
        ? false
        : (
            await c.var.deps.db.all(
              'SELECT 1 FROM partners WHERE partner_id = $p AND list_contains(allowed_origins, $o)',
              { p: p.partnerId, o: origin },
            )
          ).length > 0;
    if (ok) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.append('Vary', 'Origin');
    }
  };
}
