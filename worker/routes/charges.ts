/**
 * GET /v1/charges: approximate charges of paid units per period, group and currency. Always an estimate
 * (DOMAIN.md §10.16): the invoice is authoritative. Paid units nothing priced are counted (`unpriced` per row,
 * `unpriced_units` for the answer, with their markets and categories), never added as zero.
 */
import { z } from 'zod';
import { idParam, listLimit } from '../http/params.js';
import { usageView } from '../ledger/usage-view.js';
import { listUnpricedMonths, loadUnpricedUnits } from '../usage/unpriced-units.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, ok, unpricedUnitsFields, unpricedUnitsSchema } from './doc-schemas.js';
import { manager } from './guards.js';
import { answerUsageTable } from './usage-table.js';
import { usageEnvelope, usageTableRoute } from './usage.js';

export const CHARGES_NOTE =
  'Approximate charges computed from the units received so far and the rate cards in force; the invoice is authoritative.';

const unpricedQuery = z
  .object({
    partner_id: idParam.optional().meta({ description: 'Admin only' }),
    limit: listLimit('WABA months'),
  })
  .strict();

const chargesEnvelope = usageEnvelope(
  {
    currency: z.string().meta({ example: 'USD' }),
    paid: z.int(),
    amount: z.string().nullable().meta({
      example: '7.500000',
      description: 'Σ of the priced paid units; null when every paid unit of the row is unpriced',
    }),
  },
  {
    estimate: z.literal(true),
    as_of: z.iso.datetime(),
    note: z.string(),
    unpriced_units: unpricedUnitsSchema,
  },
);

const unpricedMonths = z.object({
  months: z.array(
    z.object({
      partner_id: z.string(),
      waba_id: z.string(),
      month: z.string().meta({ example: '2026-11' }),
      ...unpricedUnitsFields,
    }),
  ),
});

export const chargesRoutes = routeApp();

defineRoute(
  chargesRoutes,
  usageTableRoute(
    'Approximate charges of paid units (estimate; the invoice is authoritative)',
    'Same filters and grouping as /v1/usage. Amounts are exact decimal strings in the row currency (each WABA currency; currency is always a key).',
    chargesEnvelope,
  ),
  (c) =>
    answerUsageTable(c, 'charges', c.req.valid('query'), async (q) => ({
      estimate: true,
      as_of: q.now.toISOString(),
      note: CHARGES_NOTE,
      unpriced_units: await loadUnpricedUnits(c.var.deps.db, q, q.tables),
    })),
);

// Every (WABA, local month) holding paid units nothing priced: the admin's view across partners (or one
// partner with partner_id); a partner key sees its own.
defineRoute(
  chargesRoutes,
  {
    method: 'get',
    path: '/unpriced',
    summary:
      'Every (WABA, local month) holding paid units nothing priced, latest first (admin: every partner or ' +
      'partner_id; a partner key: its own; embed tokens 403)',
    middleware: [manager],
    request: { query: unpricedQuery },
    responses: { ...ok('Unpriced months', unpricedMonths), ...errors(400, 401, 403) },
  },
  async (c) => {
    const p = c.var.principal;
    const q = c.req.valid('query');
    const partnerId = p.kind === 'admin' ? (q.partner_id ?? null) : p.partnerId;
    const view = await usageView(c.var.deps, c.var.deps.clock.now());
    return c.json({
      months: await listUnpricedMonths(c.var.deps.db, { partnerId, limit: q.limit }, view.tables),
    });
  },
);
