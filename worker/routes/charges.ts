/**
 * GET /v1/charges: approximate charges of paid units per period, group and currency. Always an estimate
 * (DOMAIN.md §10.16): the invoice is authoritative. Paid units nothing priced are counted (`unpriced` per row,
 * `unpriced_units` for the answer, with their markets and categories), never added as zero.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireManager } from '../auth/access.js';
import type { AppEnv } from '../env.js';
import { idParam } from '../http/params.js';
import { validate } from '../http/validate.js';
import { listUnpricedMonths, loadUnpricedUnits } from '../usage/unpriced-units.js';
import { answerUsageTable } from './usage-table.js';

export const CHARGES_NOTE =
  'Approximate charges computed from the units received so far and the rate cards in force; the invoice is authoritative.';

const unpricedQuery = z
  .object({
    partner_id: idParam.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const chargesRoutes = new Hono<AppEnv>()
  .get('/', (c) =>
    answerUsageTable(c, 'charges', async (q) => ({
      estimate: true,
      as_of: q.now.toISOString(),
      note: CHARGES_NOTE,
      unpriced_units: await loadUnpricedUnits(c.var.deps.db, q),
    })),
  )
  // Every (WABA, local month) holding paid units nothing priced: the admin's view across partners (or one
  // partner with partner_id); a partner key sees its own.
  .get('/unpriced', validate('query', unpricedQuery), async (c) => {
    const p = c.var.principal;
    requireManager(p);
    const q = c.req.valid('query');
    const partnerId = p.kind === 'admin' ? (q.partner_id ?? null) : p.partnerId;
    return c.json({ months: await listUnpricedMonths(c.var.deps.db, { partnerId, limit: q.limit }) });
  });
