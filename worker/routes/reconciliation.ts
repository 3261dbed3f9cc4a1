/**
 * The reconciliation check over HTTP: GET compares, per number and local day, the charges the usage rollups
 * say are due with what the ledger has posted; POST /repair (admin) re-posts the drifting months through the
 * ledger's one posting path. A partner key sees its own WABAs; embed tokens are refused.
 */
import { z } from 'zod';
import { loadWaba } from '../auth/access.js';
import { repairDrift } from '../funding/repair-drift.js';
import { idParam, listLimit } from '../http/params.js';
import { reconcileCharges } from '../ledger/reconcile.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, ok } from './doc-schemas.js';
import { admin, manager, usageSourceOnly } from './guards.js';

const scopeQuery = z
  .object({
    partner_id: idParam.optional().meta({ description: 'Admin only: one partner (default: every partner)' }),
    waba_id: idParam.optional().meta({ description: 'One WABA (default: every WABA in scope)' }),
    limit: listLimit('Drifting days listed (largest difference first)'),
  })
  .strict();

const money = z.string().meta({ example: '12.500000' });
const report = z.object({
  checked_at: z.iso.datetime(),
  in_balance: z.boolean(),
  numbers_checked: z.int(),
  days_checked: z.int(),
  totals: z.array(z.object({ currency: z.string(), expected: money, posted: money, difference: money })),
  drift_days: z.int(),
  drift: z.array(
    z.object({
      phone_number_id: z.string(),
      currency: z.string(),
      local_day: z.string().meta({ example: '2026-11-03' }),
      expected: money.meta({ description: 'Due from usage that day (0 before the account start)' }),
      posted: money.meta({ description: 'Usage charges and adjustments in the ledger that day' }),
      difference: money.meta({ description: 'expected − posted; positive = charges missing' }),
    }),
  ),
  truncated: z.boolean(),
  repair_scope: z.array(z.object({ waba_id: z.string(), month: z.string() })),
});
const repairAnswer = z.object({
  before: report,
  after: report,
  numbers_reposted: z.array(z.string()),
});

export const reconciliationRoutes = routeApp();

defineRoute(
  reconciliationRoutes,
  {
    method: 'get',
    path: '/',
    summary: 'Usage charges due against ledger postings, per phone number and local day (drift report)',
    middleware: [manager, usageSourceOnly],
    request: { query: scopeQuery },
    responses: { ...ok('Reconciliation report', report), ...errors(400, 401, 403, 404, 409) },
  },
  async (c) => {
    const p = c.var.principal;
    const q = c.req.valid('query');
    const { db, money, clock } = c.var.deps;
    if (q.waba_id) await loadWaba(money, p, q.waba_id);
    const partner_id = p.kind === 'admin' ? q.partner_id : p.partnerId;
    const planes = { analytics: db, money };
    return c.json(await reconcileCharges(planes, { partner_id, waba_id: q.waba_id }, clock.now(), q.limit));
  },
);

defineRoute(
  reconciliationRoutes,
  {
    method: 'post',
    path: '/repair',
    summary:
      'Re-post the usage charges of every drifting month (admin); converges, running it again posts nothing',
    middleware: [admin, usageSourceOnly],
    request: { query: scopeQuery },
    responses: { ...ok('Before and after', repairAnswer), ...errors(400, 401, 403, 404, 409) },
  },
  async (c) => {
    const q = c.req.valid('query');
    const deps = c.var.deps;
    if (q.waba_id) await loadWaba(deps.money, c.var.principal, q.waba_id);
    const r = await repairDrift(deps, { partner_id: q.partner_id, waba_id: q.waba_id }, deps.domain, q.limit);
    return c.json(r);
  },
);
