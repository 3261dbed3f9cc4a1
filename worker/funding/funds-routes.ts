/** HTTP surface of adding funds: quotes, confirmation (Idempotency-Key), top-ups, auto-renewal and its audit. */
import { Hono } from 'hono';
import { z } from 'zod';
import { loadPhoneNumber, requireScope } from '../auth/access.js';
import { describePrincipal } from '../auth/principal.js';
import type { AppEnv } from '../env.js';
import { ValidationError } from '../errors.js';
import { nonNegativeAmount, positiveAmount } from '../http/params.js';
import { parseJsonBody } from '../http/validate.js';
import { autoRenewalWarnings, getAutoRenewal, saveAutoRenewal } from './auto-renewal.js';
import { listAudit } from './audit.js';
import { confirmTopUp } from './confirm-topup.js';
import { fundingContextOf } from './context.js';
import { listTopUps } from './create-topup.js';
import { createQuote } from './quotes.js';
import { clearAlert } from './alerts.js';
import { afterLedgerChange } from './after-ledger-change.js';
import { idempotencyKeyOf, idempotencyOwner, runIdempotent } from './idempotency.js';

const positive = positiveAmount;
const nonNegative = nonNegativeAmount;
const method = z.string().min(1).max(40);

const quoteSchema = z
  .object({
    mode: z.enum(['one_time', 'auto_renewal']),
    amount: positive.optional(),
    days: z.number().int().min(1).max(365).optional(),
    payment_method: method,
    auto_renewal: z
      .object({
        threshold: nonNegative,
        monthly_cap: positive.nullable().optional(),
        low_balance_threshold: nonNegative.nullable().optional(),
      })
      .optional(),
  })
  .refine((q) => (q.amount === undefined) !== (q.days === undefined), {
    message: 'give exactly one of amount or days',
    path: ['amount'],
  });

const renewalSchema = z.object({
  enabled: z.boolean(),
  threshold: nonNegative,
  mode: z.enum(['fixed', 'target']).default('fixed'),
  amount: positive,
  monthly_cap: positive.nullable().default(null),
  payment_method: method.default('card'),
  low_balance_threshold: nonNegative.nullable().default(null),
});

export const fundsRoutes = new Hono<AppEnv>()
  .post('/phone-numbers/:id/funds/quotes', async (c) => {
    requireScope(c.var.principal, 'add-funds');
    const key = idempotencyKeyOf(c, false);
    const input = await parseJsonBody(c, quoteSchema);
    const { db } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    const ctx = fundingContextOf(c.var.deps);
    const request = ['quote', phone.phone_number_id, input];
    const answer = await db.transaction((tx) =>
      runIdempotent(
        tx,
        { owner: idempotencyOwner(c.var.principal), key, request, now: ctx.now() },
        async () => ({
          status: 201,
          body: { ...(await createQuote(tx, phone.phone_number_id, input, ctx)) },
        }),
      ),
    );
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(answer.body, 201);
  })
  .post('/phone-numbers/:id/funds', async (c) => {
    requireScope(c.var.principal, 'add-funds');
    const key = idempotencyKeyOf(c, true) as string;
    const input = await parseJsonBody(c, z.object({ quote_id: z.string().min(1).max(100) }));
    const { db } = c.var.deps;
    const p = c.var.principal;
    const phone = await loadPhoneNumber(db, p, c.req.param('id'));
    const ctx = fundingContextOf(c.var.deps);
    const answer = await db.transaction((tx) =>
      confirmTopUp(
        tx,
        {
          owner: idempotencyOwner(p),
          idempotencyKey: key,
          phoneNumberId: phone.phone_number_id,
          quoteId: input.quote_id,
          actor: describePrincipal(p),
        },
        ctx,
      ),
    );
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(answer.body, answer.status as 202);
  })
  .get('/phone-numbers/:id/funds', async (c) => {
    requireScope(c.var.principal, 'read-balance');
    const { db } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    return c.json({
      phone_number_id: phone.phone_number_id,
      topups: await listTopUps(db, phone.phone_number_id),
    });
  })
  .get('/phone-numbers/:id/auto-renewal', async (c) => {
    requireScope(c.var.principal, 'read-balance');
    const { db } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    return c.json({
      phone_number_id: phone.phone_number_id,
      currency: phone.currency,
      auto_renewal: await getAutoRenewal(db, phone.phone_number_id),
    });
  })
  .put('/phone-numbers/:id/auto-renewal', async (c) => {
    requireScope(c.var.principal, 'add-funds');
    const key = idempotencyKeyOf(c, false);
    const input = await parseJsonBody(c, renewalSchema);
    const { db, config } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    if (!config.feeSchedule[input.payment_method]) {
      throw new ValidationError('The payment method is not offered.', [
        { column: 'payment_method', reason: `must be one of ${Object.keys(config.feeSchedule).join(', ')}` },
      ]);
    }
    const ctx = fundingContextOf(c.var.deps);
    const request = ['auto-renewal', phone.phone_number_id, input];
    const owner = idempotencyOwner(c.var.principal);
    const answer = await db.transaction((tx) =>
      runIdempotent(tx, { owner, key, request, now: ctx.now() }, async () => {
        const saved = await saveAutoRenewal(
          tx,
          phone.phone_number_id,
          input,
          describePrincipal(c.var.principal),
          ctx.now(),
        );
        await clearAlert(tx, phone.phone_number_id, 'renewal_disabled', ctx.now());
        await afterLedgerChange(tx, phone.phone_number_id, ctx);
        const body = {
          phone_number_id: phone.phone_number_id,
          currency: phone.currency,
          auto_renewal: saved.after,
          warnings: autoRenewalWarnings(input),
        };
        return { status: 200, body };
      }),
    );
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(answer.body);
  })
  .get('/phone-numbers/:id/audit', async (c) => {
    requireScope(c.var.principal, 'read-balance');
    const { db } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    return c.json({
      phone_number_id: phone.phone_number_id,
      entries: await listAudit(db, phone.phone_number_id),
    });
  });
