/** /v1/phone-numbers/{id}/funds/quotes and /funds: quoting a top-up, confirming it (Idempotency-Key), listing. */
import { z } from 'zod';
import { loadPhoneNumber } from '../../auth/access.js';
import { fundingView, pathPhone } from './path-phone.js';
import { describePrincipal } from '../../auth/principal.js';
import { confirmTopUp } from '../../funding/confirm-topup.js';
import { listTopUps } from '../../funding/create-topup.js';
import { idempotencyOwner, runIdempotent } from '../../funding/idempotency.js';
import { createQuote } from '../../funding/quotes.js';
import { usageView } from '../../ledger/usage-view.js';
import { planesOf } from '../../db/planes.js';
import { nonNegativeAmount, positiveAmount } from '../../http/params.js';
import { defineRoute, routeApp } from '../define-route.js';
import {
  amountDoc,
  errors,
  idempotencyKeyOptional,
  idempotencyKeyRequired,
  jsonBody,
  ok,
  phoneIdPath,
} from '../doc-schemas.js';
import { scope } from '../guards.js';

const amount = positiveAmount.meta(amountDoc());
const level = nonNegativeAmount.meta(amountDoc());
export const paymentMethodSchema = z.string().min(1).max(40).meta({ example: 'card' });

const quoteSchema = z
  .object({
    mode: z.enum(['one_time', 'auto_renewal']),
    amount: amount.optional(),
    days: z.number().int().min(1).max(365).optional(),
    payment_method: paymentMethodSchema,
    auto_renewal: z
      .object({
        threshold: level,
        monthly_cap: amount.nullable().optional(),
        low_balance_threshold: level.nullable().optional(),
      })
      .optional()
      .meta({ description: 'mode auto_renewal: saved on confirm with amount = the quoted amount' }),
  })
  .refine((q) => (q.amount === undefined) !== (q.days === undefined), {
    message: 'give exactly one of amount or days',
    path: ['amount'],
  });

export const fundsRoutes = routeApp();

defineRoute(
  fundsRoutes,
  {
    method: 'post',
    path: '/funds/quotes',
    summary:
      'Quote a top-up: amount or enough for N days, payment method fee, total; valid 15 minutes. 409 ' +
      'limit_exceeded when settled + pending + amount would pass 100000000 (MAX_BALANCE)',
    middleware: [scope('add-funds')],
    request: { params: phoneIdPath, headers: idempotencyKeyOptional, body: jsonBody(quoteSchema) },
    responses: { ...ok('Quote', {}, '201'), ...errors(400, 401, 403, 404, 409, 422) },
  },
  async (c) => {
    const key = c.req.valid('header')['Idempotency-Key'] ?? null;
    const input = c.req.valid('json');
    const deps = c.var.deps;
    const phone = await pathPhone(c);
    const ctx = deps.domain;
    const request = ['quote', phone.phone_number_id, input];
    // "Enough for N days" reads the usage this replica answers with (the published rollups off the source),
    // caught up before the money transaction, which must touch nothing but its own.
    const { tables } = input.days === undefined ? { tables: undefined } : await usageView(deps, ctx.now());
    const answer = await deps.money.transaction((tx) =>
      runIdempotent(
        tx,
        { owner: idempotencyOwner(c.var.principal), key, request, now: ctx.now() },
        async () => ({
          status: 201,
          body: {
            ...(await createQuote(planesOf(deps, tx), phone.phone_number_id, input, ctx, tables)),
          },
        }),
      ),
    );
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(answer.body, 201);
  },
);

defineRoute(
  fundsRoutes,
  {
    method: 'post',
    path: '/funds',
    summary:
      'Confirm a quote; the top-up is pending until the payment settles (409 limit_exceeded past MAX_BALANCE)',
    middleware: [scope('add-funds')],
    request: {
      params: phoneIdPath,
      headers: idempotencyKeyRequired,
      body: jsonBody(z.object({ quote_id: z.string().min(1).max(100) })),
    },
    responses: { ...ok('Pending top-up', {}, '202'), ...errors(400, 401, 403, 404, 409, 422) },
  },
  async (c) => {
    const key = c.req.valid('header')['Idempotency-Key'];
    const input = c.req.valid('json');
    const deps = c.var.deps;
    const p = c.var.principal;
    const phone = await loadPhoneNumber(deps.money, p, c.req.valid('param').id);
    const ctx = deps.domain;
    const answer = await deps.money.transaction((tx) =>
      confirmTopUp(
        planesOf(deps, tx),
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
  },
);

defineRoute(
  fundsRoutes,
  fundingView('/funds', 'Top-ups of the number, newest first', 'Top-ups'),
  async (c) => {
    const { money } = c.var.deps;
    const phone = await pathPhone(c);
    return c.json({
      phone_number_id: phone.phone_number_id,
      topups: await listTopUps(money, phone.phone_number_id),
    });
  },
);
