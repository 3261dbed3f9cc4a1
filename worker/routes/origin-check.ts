/**
 * POST /v1/embed-tokens/origin-check: tells a widget why the browser refused its call. The body is the embed
 * token as text/plain, which makes this a "simple" cross-origin request (no preflight), and the answer allows
 * every origin, so a page whose origin is not allowed can still read it. It reveals only what the token's
 * holder may know: whether the token is valid or expired and whether the token's partner allows the origin
 * the browser sent.
 */
import { z } from 'zod';
import { verifyEmbedToken } from '../auth/embed-token.js';
import { originAllowedForPartner } from '../http/cors.js';
import { defineRoute, routeApp } from './define-route.js';
import { ok } from './doc-schemas.js';

const MAX_TOKEN_CHARS = 8192;

const verdict = z.object({
  origin: z.string().nullable(),
  origin_allowed: z.boolean(),
  token: z.enum(['valid', 'expired', 'invalid']),
});

export const originCheckRoutes = routeApp();

defineRoute(
  originCheckRoutes,
  {
    method: 'post',
    path: '/',
    summary: 'Why a widget cannot read the API from its page (no token header, no preflight)',
    description:
      'The body is the embed token as text/plain, so browsers send it without a CORS preflight, and the ' +
      'answer carries Access-Control-Allow-Origin: *. Widgets call it after a fetch failed, to tell a ' +
      "refused origin from an expired token or an unreachable service. Says whether the token's partner " +
      'allows the Origin the browser sent.',
    security: [],
    request: {
      body: {
        required: true,
        content: { 'text/plain': { schema: z.string().meta({ example: 'et_eyJ…' }) } },
      },
    },
    responses: ok('The verdict', verdict),
  },
  async (c) => {
    const { money, config, clock } = c.var.deps;
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
      origin !== null && partnerId !== null && (await originAllowedForPartner(money, partnerId, origin));
    return c.json(
      {
        origin,
        origin_allowed: originAllowed,
        token: v.ok ? 'valid' : v.reason === 'expired' ? 'expired' : 'invalid',
      },
      200,
      { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' },
    );
  },
);
