/** Resolves the bearer token of a request into a Principal; every route below /v1 goes through it. */
import type { MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../errors.js';
import type { AppEnv } from '../env.js';
import { sha256Hex, timingSafeEqual } from './crypto.js';
import { EMBED_TOKEN_PREFIX, verifyEmbedToken } from './embed-token.js';
import type { Principal } from './principal.js';

/**
 * API keys seen recently: the lookup (a SHA-256 and a DuckDB read) would dominate hot routes such as the send
 * gate. Keyed by the presented token, in process memory only (never stored); entries live KEY_CACHE_MS and are
 * dropped at once when a key is revoked (forgetCachedApiKeys).
 */
const KEY_CACHE_MS = 30_000;
const keyCache = new WeakMap<object, Map<string, { principal: Principal; until: number }>>();

/** Drops every cached API key of a store; called after a key is revoked. */
export function forgetCachedApiKeys(db: object): void {
  keyCache.delete(db);
}

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
  const { config, db, clock } = deps;
  if (config.adminToken && timingSafeEqual(token, config.adminToken)) return { kind: 'admin' };
  if (token.startsWith(EMBED_TOKEN_PREFIX)) {
    const v = await verifyEmbedToken(config.signingSecret, token, clock.now());
    if (!v.ok)
      throw new UnauthorizedError(
        v.reason === 'expired' ? 'The embed token has expired.' : 'The embed token is not valid.',
      );
    return v.principal;
  }
  let cache = keyCache.get(db);
  const hit = cache?.get(token);
  if (hit && hit.until > Date.now()) return hit.principal;
  const hash = await sha256Hex(token);
  const rows = await db.all<{ key_id: string; partner_id: string }>(
    'SELECT key_id, partner_id FROM api_keys WHERE key_hash = $h AND revoked_at IS NULL',
    { h: hash },
  );
  const row = rows[0];
  if (!row) throw new UnauthorizedError('The API key is not valid.');
  const principal: Principal = { kind: 'partner', partnerId: row.partner_id, keyId: row.key_id };
  if (!cache) keyCache.set(db, (cache = new Map()));
  cache.set(token, { principal, until: Date.now() + KEY_CACHE_MS });
  return principal;
}
