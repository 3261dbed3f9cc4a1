/**
 * The payment processor's webhook (no bearer token): the raw body must carry `X-Signature: sha256=<hex>`, the
 * HMAC-SHA256 of the body with the signing secret. Events payment.succeeded / payment.failed name a topup_id.
 * Idempotent: the first outcome wins, repeats answer 200 with changed=false; an unknown top-up answers 404.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { timingSafeEqual } from '../auth/crypto.js';
import { requireSigningSecret } from '../auth/signing-secret.js';
import type { AppEnv } from '../env.js';
import { NotFoundError, UnauthorizedError, ValidationError } from '../errors.js';
import { issuesOf } from '../http/validate.js';
import { fundingContextOf } from '../funding/context.js';
import { signPayload } from '../funding/payment-signature.js';
import { settleTopUp } from '../funding/settle-topup.js';

const eventSchema = z.object({
  id: z.string().max(200).optional(),
  type: z.enum(['payment.succeeded', 'payment.failed']),
  topup_id: z.string().min(1).max(100),
  reason: z.string().max(500).optional(),
});

export const paymentWebhookRoutes = new Hono<AppEnv>().post('/payments/webhook', async (c) => {
  const { db, config } = c.var.deps;
  const raw = await c.req.text();
  const given = c.req.header('x-signature') ?? '';
  if (!timingSafeEqual(given, await signPayload(requireSigningSecret(config), raw))) {
    throw new UnauthorizedError('The payment webhook signature is missing or wrong.');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError('The payment event is not valid.', issuesOf(parsed.error));
  const ev = parsed.data;
  const ctx = fundingContextOf(c.var.deps);
  const outcome = ev.type === 'payment.succeeded' ? 'settled' : 'failed';
  const r = await db.transaction((tx) => settleTopUp(tx, ev.topup_id, outcome, ctx, ev.reason ?? null));
  if (!r) throw new NotFoundError(`Top-up ${ev.topup_id}`);
  return c.json({ received: true, topup_id: ev.topup_id, status: r.status, changed: r.changed });
});
