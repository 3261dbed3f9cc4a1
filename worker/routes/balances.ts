/** GET /v1/balances: the balance breakdown across the numbers the caller can see. */
import { z } from 'zod';
import { visiblePhoneNumbers } from '../auth/access.js';
import { balanceBreakdown } from '../ledger/breakdown.js';
import { usageView } from '../ledger/usage-view.js';
import { idParam } from '../http/params.js';
import { dataThrough, dataThroughByNumber } from '../usage/data-feed.js';
import { defineRoute, routeApp } from './define-route.js';
import { dataThroughSchema, errors, ok } from './doc-schemas.js';
import { scope } from './guards.js';

const breakdownAnswer = z.object({
  totals: z.array(z.object({})),
  numbers: z.array(z.object({ data_through: dataThroughSchema })),
  data_through: dataThroughSchema,
});

export const balancesRoutes = routeApp();

defineRoute(
  balancesRoutes,
  {
    method: 'get',
    path: '/',
    summary:
      'Balance breakdown across the visible numbers: totals per currency, each number’s share (null when the ' +
      'currency total is zero or its balances have both signs), state and ran_out_at',
    middleware: [scope('read-balance')],
    request: { query: z.object({ waba_id: idParam.optional().meta({ description: 'Only this WABA' }) }) },
    responses: { ...ok('Breakdown', breakdownAnswer), ...errors(401, 403, 404) },
  },
  async (c) => {
    const { waba_id } = c.req.valid('query');
    const { db, money } = c.var.deps;
    const phones = await visiblePhoneNumbers(money, c.var.principal, { wabaId: waba_id });
    const ids = phones.map((p) => p.phone_number_id);
    const { feed } = (await usageView(c.var.deps, c.var.deps.clock.now())).tables;
    const [breakdown, through, byNumber] = await Promise.all([
      balanceBreakdown(money, phones),
      dataThrough(db, ids, feed),
      dataThroughByNumber(db, ids, feed),
    ]);
    return c.json({
      ...breakdown,
      numbers: breakdown.numbers.map((n) => ({
        ...n,
        data_through: byNumber.get(n.phone_number_id) ?? null,
      })),
      data_through: through,
    });
  },
);
