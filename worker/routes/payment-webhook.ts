/**
 * The payment processor's webhook (no bearer token): the raw body must carry `X-Signature: sha256=<hex>`, the
 * HMAC-SHA256 of the body with the signing secret. Events payment.succeeded / payment.failed name a topup_id.
 * Idempotent: the first outcome wins, repeats answer 200 with changed=false; an unknown top-up answers 404.
 */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { timingSafeEqual } from '../auth/crypto.js';
import { requireSigningSecret } from '../auth/signing-secret.js';
import type { AppEnv } from '../app-deps.js';
import { NotFoundError, UnauthorizedError } from '../errors.js';
import { signPayload } from '../funding/payment-signature.js';
import { settleTopUp } from '../funding/settle-topup.js';
import { planesOf } from '../db/planes.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, jsonBody, ok } from './doc-schemas.js';

const eventSchema = z.object({
  id: z.string().max(200).optional(),
  type: z.enum(['payment.succeeded', 'payment.failed']),
  topup_id: z.string().min(1).max(100),
  reason: z.string().max(500).optional(),
});

/** Nothing of the body is read as an event before its signature is checked. */
const signedByProcessor: MiddlewareHandler<AppEnv> = async (c, next) => {
  const raw = await c.req.text();
  const given = c.req.header('x-signature') ?? '';
  if (!timingSafeEqual(given, await signPayload(requireSigningSecret(c.var.deps.config), raw))) {
    throw new UnauthorizedError('The payment webhook signature is missing or wrong.');
  }
  await next();
};

export const paymentWebhookRoutes = routeApp();

defineRoute(
  paymentWebhookRoutes,
  {
    method: 'post',
    path: '/',
    summary:
      'Payment processor events (payment.succeeded | payment.failed with topup_id); HMAC-signed, no bearer',
    security: [],
    middleware: [signedByProcessor],
    request: {
      headers: z.object({ 'X-Signature': z.string().meta({ example: 'sha256=…' }) }),
      body: jsonBody(eventSchema),
    },
    responses: { ...ok('Received'), ...errors(400, 401, 404) },
  },
  async (c) => {
    const ev = c.req.valid('json');
    const ctx = c.var.deps.domain;
    const outcome = ev.type === 'payment.succeeded' ? 'settled' : 'failed';
    const deps = c.var.deps;
    const r = await deps.money.transaction((tx) =>
      settleTopUp(planesOf(deps, tx), ev.topup_id, outcome, ctx, ev.reason ?? null),
    );
    if (!r) throw new NotFoundError(`Top-up ${ev.topup_id}`);
    return c.json({ received: true, topup_id: ev.topup_id, status: r.status, changed: r.changed });
  },
);
