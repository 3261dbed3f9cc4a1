/**
 * POST /v1/embed-tokens/origin-check: tells a widget why the browser refused its call. The body is the embed
 * token as text/plain, which makes this a "simple" cross-origin request (no preflight), and the answer allows
 * every origin, so a page whose origin is not allowed can still read it. It reveals only what the token's
 * holder may know: whether the token is valid or expired and whether the token's partner allows the origin
 * the browser sent.
 */
import { Hono } from 'hono';
import { verifyEmbedToken } from '../auth/embed-token.js';
import type { AppEnv } from '../env.js';
import { originAllowedForPartner } from '../http/cors.js';

const MAX_TOKEN_CHARS = 8192;

export const originCheckRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const { db, config, clock } = c.var.deps;
  const origin = c.req.header('origin') ?? null;
  const token = (await c.req.text()).trim().slice(0, MAX_TOKEN_CHARS);
  const v = await verifyEmbedToken(config.signingSecret, token, clock.now());
  const partnerId =
    v.ok && v.principal.kind !== 'admin'
      ? v.principal.partnerId
      : !v.ok && v.reason === 'expired'
        ? v.partnerId
        : null;
  const originAllowed =
    origin !== null && partnerId !== null && (await originAllowedForPartner(db, partnerId, origin));
  return c.json(
    {
      origin,
      origin_allowed: originAllowed,
      token: v.ok ? 'valid' : v.reason === 'expired' ? 'expired' : 'invalid',
    },
    200,
    { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' },
  );
});
