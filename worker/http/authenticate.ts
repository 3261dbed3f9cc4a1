/**
 * Resolves the bearer token of a request into a Principal; every route below /v1 goes through it. API keys are
 * looked up in the money plane, where a revocation commits first.
 */
import type { MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../errors.js';
import type { AppEnv } from '../app-deps.js';
import { sha256Hex, timingSafeEqual } from '../auth/crypto.js';
import { EMBED_TOKEN_PREFIX, verifyEmbedToken } from '../auth/embed-token.js';
import type { Principal } from '../auth/principal.js';

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1]) throw new UnauthorizedError();
    c.set('principal', await resolveToken(c.var.deps, m[1]));
    await next();
  };
}

async function resolveToken(deps: AppEnv['Variables']['deps'], token: string): Promise<Principal> {
  const { config, money, clock } = deps;
  if (config.adminToken && timingSafeEqual(token, config.adminToken)) return { kind: 'admin' };
  if (token.startsWith(EMBED_TOKEN_PREFIX)) {
    const v = await verifyEmbedToken(config.signingSecret, token, clock.now());
    if (!v.ok)
      throw new UnauthorizedError(
        v.reason === 'expired' ? 'The embed token has expired.' : 'The embed token is not valid.',
      );
    return v.principal;
  }
  const hit = deps.services.apiKeys.get(token, Date.now());
  if (hit) return hit;
  const hash = await sha256Hex(token);
  const rows = await money.all<{ key_id: string; partner_id: string }>(
    'SELECT key_id, partner_id FROM api_keys WHERE key_hash = $h AND revoked_at IS NULL',
    { h: hash },
  );
  const row = rows[0];
  if (!row) throw new UnauthorizedError('The API key is not valid.');
  const principal: Principal = { kind: 'partner', partnerId: row.partner_id, keyId: row.key_id };
  deps.services.apiKeys.remember(token, principal, Date.now());
  return principal;
}
