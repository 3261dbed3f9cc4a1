/** WABAs of the calling partner (admin names the partner in the body). */
import { Hono } from 'hono';
import { z } from 'zod';
import { loadWaba, partnerOf, requireManager } from '../auth/access.js';
import type { AppEnv } from '../env.js';
import { ValidationError } from '../errors.js';
import { currencyParam, dayParam, idParam, timeZoneParam } from '../http/params.js';
import { parseJsonBody } from '../http/validate.js';
import { fundingContextOf } from '../funding/context.js';
import { repriceWabaMonths } from '../billing/reprice-for-card.js';
import { createWaba, listWabas, updateWaba } from '../tenancy/wabas.js';

const createWabaSchema = z.object({
  waba_id: idParam,
  name: z.string().min(1).max(200),
  timezone: timeZoneParam,
  currency: currencyParam,
  pmp_from: dayParam.optional(),
  partner_id: idParam.optional(),
  portfolio_id: idParam.nullable().optional(),
});

const patchWabaSchema = z
  .object({ name: z.string().min(1).max(200).optional(), portfolio_id: idParam.nullable().optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.portfolio_id !== undefined, {
    message: 'name or portfolio_id is required',
  });

export const wabaRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const p = c.var.principal;
    const wabas = await listWabas(c.var.deps.db, partnerOf(p));
    if (p.kind !== 'embed') return c.json({ wabas });
    const visible: typeof wabas = [];
    for (const w of wabas) {
      try {
        visible.push(await loadWaba(c.var.deps.db, p, w.waba_id));
      } catch {
        /* not visible to this token */
      }
    }
    return c.json({ wabas: visible });
  })
  .post('/', async (c) => {
    const p = c.var.principal;
    requireManager(p);
    const input = await parseJsonBody(c, createWabaSchema);
    const partnerId = p.kind === 'admin' ? input.partner_id : p.partnerId;
    if (!partnerId)
      throw new ValidationError('partner_id is required when the admin token creates a WABA.', [
        { column: 'partner_id', reason: 'required' },
      ]);
    const { db, clock } = c.var.deps;
    return c.json(await createWaba(db, partnerId, input, clock.now()), 201);
  })
  .get('/:id', async (c) => c.json(await loadWaba(c.var.deps.db, c.var.principal, c.req.param('id'))))
  .patch('/:id', async (c) => {
    const p = c.var.principal;
    requireManager(p);
    const waba = await loadWaba(c.var.deps.db, p, c.req.param('id'));
    const patch = await parseJsonBody(c, patchWabaSchema);
    const deps = c.var.deps;
    const updated = await deps.db.transaction(async (tx) => {
      const r = await updateWaba(tx, waba, patch);
      await repriceWabaMonths(tx, r.repriceWabas, fundingContextOf(deps));
      return r.waba;
    });
    return c.json(updated);
  });
