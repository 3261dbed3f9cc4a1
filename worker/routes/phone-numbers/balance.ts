/** /v1/phone-numbers/{id}/balance, /ledger (the monthly statement) and /refunds: the ledger of one number. */
import { z } from 'zod';
import { fundingView, pathPhone } from './path-phone.js';
import { describePrincipal } from '../../auth/principal.js';
import { getAccountStart } from '../../ledger/account-start.js';
import { balanceState, pendingTopUps, settledBalance } from '../../ledger/ledger.js';
import { ranOutAt } from '../../ledger/ran-out.js';
import { usageView } from '../../ledger/usage-view.js';
import { refundBalance } from '../../funding/refund.js';
import { buildStatement } from '../../ledger/statement.js';
import { getAutoRenewal } from '../../funding/auto-renewal.js';
import { idempotencyOwner, runIdempotent } from '../../funding/idempotency.js';
import { monthParam, positiveAmount } from '../../http/params.js';
import { respondTable } from '../../http/table-response.js';
import { monthDays } from '../../kernel/calendar.js';
import { dataThrough } from '../../usage/data-feed.js';
import { loadUnpricedUnits } from '../../usage/unpriced-units.js';
import { defineRoute, routeApp } from '../define-route.js';
import {
  accountStartAnswer,
  amountDoc,
  dataThroughSchema,
  errors,
  idempotencyKeyRequired,
  jsonBody,
  moneySchema,
  ok,
  phoneIdPath,
  tabular,
  unpricedUnitsSchema,
} from '../doc-schemas.js';
import { manager, scope } from '../guards.js';

export const balanceRoutes = routeApp();

defineRoute(
  balanceRoutes,
  fundingView(
    '/balance',
    'Settled balance (pending top-ups apart), state, ran_out_at (when a zero or negative balance got ' +
      'there) and auto-renewal settings',
    'Balance',
    z.object({
      phone_number_id: z.string(),
      currency: z.string(),
      balance: moneySchema,
      pending: moneySchema,
      state: z.enum(['positive', 'zero', 'negative']),
      ran_out_at: z.iso.datetime().nullable(),
      auto_renewal: z.object({}).nullable(),
      account_start: accountStartAnswer,
      data_through: dataThroughSchema,
    }),
  ),
  async (c) => {
    const { db, money } = c.var.deps;
    const phone = await pathPhone(c);
    const balance = await settledBalance(money, phone.phone_number_id);
    const state = balanceState(balance);
    const ranOut = state === 'positive' ? null : await ranOutAt(money, [phone.phone_number_id]);
    return c.json({
      phone_number_id: phone.phone_number_id,
      currency: phone.currency,
      balance,
      pending: await pendingTopUps(money, phone.phone_number_id),
      state,
      ran_out_at: ranOut?.get(phone.phone_number_id) ?? null,
      auto_renewal: await getAutoRenewal(money, phone.phone_number_id),
      account_start: await getAccountStart(money, phone.phone_number_id),
      data_through: await dataThrough(
        db,
        [phone.phone_number_id],
        (await usageView(c.var.deps, c.var.deps.clock.now())).tables.feed,
      ),
    });
  },
);

defineRoute(
  balanceRoutes,
  {
    method: 'get',
    path: '/ledger',
    summary:
      'Monthly statement: opening balance, movements, closing balance (JSON, CSV, Arrow), the paid units of the ' +
      'month that could not be priced (unpriced_units) and the account start',
    middleware: [scope('read-balance')],
    request: {
      params: phoneIdPath,
      query: z.object({
        month: monthParam.meta({ description: 'YYYY-MM in the WABA time zone' }),
        format: z.string().optional().meta({ description: 'Overrides the Accept header' }),
      }),
    },
    responses: tabular(
      'Statement',
      z.object({
        opening_balance: moneySchema,
        closing_balance: moneySchema,
        unpriced_units: unpricedUnitsSchema,
        account_start: accountStartAnswer,
        rows: z.array(z.object({})),
      }),
      [400, 401, 403, 404, 406],
    ),
  },
  async (c) => {
    const { db, money } = c.var.deps;
    const phone = await pathPhone(c);
    const { month } = c.req.valid('query');
    const st = await buildStatement(money, phone.phone_number_id, month, phone.timezone);
    const [unpriced, start] = await Promise.all([
      usageView(c.var.deps, c.var.deps.clock.now()).then((view) =>
        loadUnpricedUnits(
          db,
          { phoneNumberIds: [phone.phone_number_id], ...monthDays(month, month) },
          view.tables,
        ),
      ),
      getAccountStart(money, phone.phone_number_id),
    ]);
    return respondTable(c, st.table, {
      filename: `ledger-${phone.phone_number_id}-${month}`,
      meta: {
        phone_number_id: phone.phone_number_id,
        month,
        timezone: phone.timezone,
        currency: phone.currency,
        opening_balance: st.opening_balance,
        closing_balance: st.closing_balance,
        // The usage charges above leave these out: they had no rate to be charged at.
        unpriced_units: unpriced,
        account_start: start,
      },
    });
  },
);

const refundSchema = z.object({
  amount: positiveAmount.meta(amountDoc()),
  reason: z.string().max(500).optional(),
});

defineRoute(
  balanceRoutes,
  {
    method: 'post',
    path: '/refunds',
    summary:
      'Refund unused settled balance (API key or admin); above zero (else 400), cannot exceed the settled balance (409)',
    middleware: [manager],
    request: { params: phoneIdPath, headers: idempotencyKeyRequired, body: jsonBody(refundSchema) },
    responses: { ...ok('Refunded', {}, '201'), ...errors(400, 401, 403, 404, 409, 422) },
  },
  async (c) => {
    const key = c.req.valid('header')['Idempotency-Key'];
    const input = c.req.valid('json');
    const { money } = c.var.deps;
    const phone = await pathPhone(c);
    const ctx = c.var.deps.domain;
    const request = ['refund', phone.phone_number_id, input.amount, input.reason ?? null];
    const owner = idempotencyOwner(c.var.principal);
    const answer = await money.transaction((tx) =>
      runIdempotent(tx, { owner, key, request, now: ctx.now() }, async () => {
        const out = await refundBalance(
          tx,
          {
            phone_number_id: phone.phone_number_id,
            amount: input.amount,
            reason: input.reason ?? null,
            actor: describePrincipal(c.var.principal),
          },
          ctx,
        );
        return { status: 201, body: { phone_number_id: phone.phone_number_id, ...out } };
      }),
    );
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(answer.body, 201);
  },
);
