/** HTTP surface of adding funds: quotes, confirmation (Idempotency-Key), top-ups, auto-renewal and its audit. */
import { Hono } from 'hono';
import { z } from 'zod';
import { loadPhoneNumber, requireScope } from '../../auth/access.js';
import { describePrincipal } from '../../auth/principal.js';
import type { AppEnv } from '../../env.js';
import { currencyParam, idParam, nonNegativeAmount, positiveAmount } from '../../http/params.js';
import { parseJsonBody, validate } from '../../http/validate.js';
import {
  autoRenewalWarnings,
  getAutoRenewal,
  mergeAutoRenewal,
  saveAutoRenewal,
} from '../../funding/auto-renewal.js';
import { listAudit } from '../../funding/audit.js';
import { confirmTopUp } from '../../funding/confirm-topup.js';
import { fundingContextOf } from '../../funding/context.js';
import { listTopUps } from '../../funding/create-topup.js';
import { assertMethodOffered, paymentMethodsFor } from '../../funding/payment-methods.js';
import { createQuote } from '../../funding/quotes.js';
import { clearAlert } from '../../funding/alerts.js';
import { afterLedgerChange } from '../../funding/after-ledger-change.js';
import { idempotencyKeyOf, idempotencyOwner, runIdempotent } from '../../funding/idempotency.js';

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

/** Every field optional: PUT merges onto the saved settings (see mergeAutoRenewal). */
const renewalSchema = z.object({
  enabled: z.boolean().optional(),
  threshold: nonNegative.optional(),
  mode: z.enum(['fixed', 'target']).optional(),
  amount: positive.optional(),
  monthly_cap: positive.nullable().optional(),
  payment_method: method.optional(),
  low_balance_threshold: nonNegative.nullable().optional(),
});

const methodsQuery = z
  .object({ currency: currencyParam.optional(), phone_number_id: idParam.optional() })
  .refine((q) => (q.currency === undefined) !== (q.phone_number_id === undefined), {
    message: 'give exactly one of currency or phone_number_id',
    path: ['currency'],
  });

export const fundsRoutes = new Hono<AppEnv>()
  .get('/payment-methods', validate('query', methodsQuery), async (c) => {
    // Configuration, not data: every caller may ask by currency; asking by number checks the tenancy first.
    const q = c.req.valid('query');
    const phone = q.phone_number_id
      ? await loadPhoneNumber(c.var.deps.db, c.var.principal, q.phone_number_id)
      : null;
    const currency = phone?.currency ?? q.currency!;
    return c.json({ currency, methods: paymentMethodsFor(c.var.deps.config, currency) });
  })
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
    const ctx = fundingContextOf(c.var.deps);
    const request = ['auto-renewal', phone.phone_number_id, input];
    const owner = idempotencyOwner(c.var.principal);
    const answer = await db.transaction((tx) =>
      runIdempotent(tx, { owner, key, request, now: ctx.now() }, async () => {
        const settings = mergeAutoRenewal(await getAutoRenewal(tx, phone.phone_number_id), input);
        assertMethodOffered(config, settings.payment_method, phone.currency);
        const saved = await saveAutoRenewal(
          tx,
          phone.phone_number_id,
          settings,
          describePrincipal(c.var.principal),
          ctx.now(),
        );
        await clearAlert(tx, phone.phone_number_id, 'renewal_disabled', ctx.now());
        await afterLedgerChange(tx, phone.phone_number_id, ctx);
        const body = {
          phone_number_id: phone.phone_number_id,
          currency: phone.currency,
          auto_renewal: saved.after,
          warnings: autoRenewalWarnings(saved.after),
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
