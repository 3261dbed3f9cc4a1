/** HTTP surface of the ledger: one number's balance, the breakdown across numbers, the statement, refunds. */
import { Hono } from 'hono';
import { z } from 'zod';
import { loadPhoneNumber, requireManager, requireScope, visiblePhoneNumbers } from '../../auth/access.js';
import { describePrincipal } from '../../auth/principal.js';
import type { AppEnv } from '../../env.js';
import { idParam, monthParam, positiveAmount } from '../../http/params.js';
import { respondTable } from '../../http/table-response.js';
import { parseJsonBody, validate } from '../../http/validate.js';
import { getAutoRenewal } from '../../funding/auto-renewal.js';
import { fundingContextOf } from '../../funding/context.js';
import { idempotencyKeyOf, idempotencyOwner, runIdempotent } from '../../funding/idempotency.js';
import { dataThrough, dataThroughByNumber } from '../../usage/data-feed.js';
import { monthDays } from '../../kernel/calendar.js';
import { loadUnpricedUnits } from '../../usage/unpriced-units.js';
import { getAccountStart } from '../../balance/account-start.js';
import { balanceBreakdown } from '../../balance/breakdown.js';
import { balanceState, pendingTopUps, settledBalance } from '../../balance/ledger.js';
import { ranOutAt } from '../../balance/ran-out.js';
import { refundBalance } from '../../balance/refund.js';
import { buildStatement } from '../../balance/statement.js';

export const ledgerRoutes = new Hono<AppEnv>()
  .get('/phone-numbers/:id/balance', async (c) => {
    requireScope(c.var.principal, 'read-balance');
    const { db } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    const balance = await settledBalance(db, phone.phone_number_id);
    const state = balanceState(balance);
    const ranOut = state === 'positive' ? null : await ranOutAt(db, [phone.phone_number_id]);
    return c.json({
      phone_number_id: phone.phone_number_id,
      currency: phone.currency,
      balance,
      pending: await pendingTopUps(db, phone.phone_number_id),
      state,
      ran_out_at: ranOut?.get(phone.phone_number_id) ?? null,
      auto_renewal: await getAutoRenewal(db, phone.phone_number_id),
      account_start: await getAccountStart(db, phone.phone_number_id),
      data_through: await dataThrough(db, [phone.phone_number_id]),
    });
  })
  .get('/balances', validate('query', z.object({ waba_id: idParam.optional() })), async (c) => {
    requireScope(c.var.principal, 'read-balance');
    const { waba_id } = c.req.valid('query');
    const { db } = c.var.deps;
    const phones = await visiblePhoneNumbers(db, c.var.principal, { wabaId: waba_id });
    const ids = phones.map((p) => p.phone_number_id);
    const [breakdown, through, byNumber] = await Promise.all([
      balanceBreakdown(db, phones),
      dataThrough(db, ids),
      dataThroughByNumber(db, ids),
    ]);
    return c.json({
      ...breakdown,
      numbers: breakdown.numbers.map((n) => ({
        ...n,
        data_through: byNumber.get(n.phone_number_id) ?? null,
      })),
      data_through: through,
    });
  })
  .get(
    '/phone-numbers/:id/ledger',
    validate('query', z.object({ month: monthParam, format: z.string().optional() })),
    async (c) => {
      requireScope(c.var.principal, 'read-balance');
      const { db } = c.var.deps;
      const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
      const { month } = c.req.valid('query');
      const st = await buildStatement(db, phone.phone_number_id, month, phone.timezone);
      const [unpriced, start] = await Promise.all([
        loadUnpricedUnits(db, { phoneNumberIds: [phone.phone_number_id], ...monthDays(month, month) }),
        getAccountStart(db, phone.phone_number_id),
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
  )
  .post('/phone-numbers/:id/refunds', async (c) => {
    requireManager(c.var.principal);
    const key = idempotencyKeyOf(c, true);
    const input = await parseJsonBody(
      c,
      z.object({ amount: positiveAmount, reason: z.string().max(500).optional() }),
    );
    const { db } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    const ctx = fundingContextOf(c.var.deps);
    const request = ['refund', phone.phone_number_id, input.amount, input.reason ?? null];
    const owner = idempotencyOwner(c.var.principal);
    const answer = await db.transaction((tx) =>
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
  });
