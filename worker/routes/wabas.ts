/** WABAs of the calling partner (admin names the partner in the body). */
import { z } from 'zod';
import { loadWaba, partnerOf } from '../auth/access.js';
import { ValidationError } from '../errors.js';
import { archiveReference } from '../lake/archive-reference.js';
import { currencyParam, dayParam, idParam, timeZoneParam } from '../http/params.js';
import { repriceWabaMonths } from '../billing/reprice-for-card.js';
import { createWaba, listWabas, updateWaba } from '../tenancy/wabas.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, idPath, jsonBody, ok } from './doc-schemas.js';
import { manager } from './guards.js';

const portfolio = idParam
  .nullable()
  .optional()
  .meta({
    description:
      'Business portfolio: volume tiers count across its WABAs per market, category and local month ' +
      "(null or absent = the WABA alone). One partner only: another partner's portfolio is 409.",
  });

const createWabaSchema = z.object({
  waba_id: idParam,
  name: z.string().min(1).max(200),
  timezone: timeZoneParam.meta({ example: 'Europe/Berlin' }),
  currency: currencyParam.meta({ example: 'EUR' }),
  pmp_from: dayParam
    .optional()
    .meta({ description: 'Local date from which per-message pricing applies (default 2025-07-01)' }),
  partner_id: idParam.optional().meta({ description: 'Admin only: the partner the WABA belongs to' }),
  portfolio_id: portfolio,
});

const patchWabaSchema = z
  .object({ name: z.string().min(1).max(200).optional(), portfolio_id: portfolio })
  .strict()
  .refine((v) => v.name !== undefined || v.portfolio_id !== undefined, {
    message: 'name or portfolio_id is required',
  })
  .meta({ minProperties: 1 });

export const wabaRoutes = routeApp();

defineRoute(
  wabaRoutes,
  {
    method: 'get',
    path: '/',
    summary: 'WABAs visible to the caller',
    responses: { ...ok('WABAs'), ...errors(401) },
  },
  async (c) => {
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
  },
);

defineRoute(
  wabaRoutes,
  {
    method: 'post',
    path: '/',
    summary: 'Register a WABA (id, name, IANA time zone, currency)',
    middleware: [manager],
    request: { body: jsonBody(createWabaSchema) },
    responses: { ...ok('Created', {}, '201'), ...errors(400, 401, 403, 409) },
  },
  async (c) => {
    const p = c.var.principal;
    const input = c.req.valid('json');
    const partnerId = p.kind === 'admin' ? input.partner_id : p.partnerId;
    if (!partnerId)
      throw new ValidationError('partner_id is required when the admin token creates a WABA.', [
        { column: 'partner_id', reason: 'required' },
      ]);
    const { db, clock, host } = c.var.deps;
    const waba = await db.transaction(async (tx) => {
      const w = await createWaba(tx, partnerId, input, clock.now());
      await archiveReference(
        tx,
        host.ingestLake,
        { tables: [{ table: 'wabas', keys: [w.waba_id] }] },
        clock.now(),
      );
      return w;
    });
    return c.json(waba, 201);
  },
);

defineRoute(
  wabaRoutes,
  {
    method: 'get',
    path: '/{id}',
    summary: 'One WABA',
    request: { params: idPath() },
    responses: { ...ok('WABA'), ...errors(401, 404) },
  },
  async (c) => c.json(await loadWaba(c.var.deps.db, c.var.principal, c.req.valid('param').id)),
);

defineRoute(
  wabaRoutes,
  {
    method: 'patch',
    path: '/{id}',
    summary: 'Rename a WABA or set its business portfolio (re-prices the months whose volume tiers move)',
    middleware: [manager],
    request: { params: idPath(), body: jsonBody(patchWabaSchema) },
    responses: { ...ok('WABA'), ...errors(400, 401, 403, 404, 409) },
  },
  async (c) => {
    const waba = await loadWaba(c.var.deps.db, c.var.principal, c.req.valid('param').id);
    const patch = c.req.valid('json');
    const deps = c.var.deps;
    const updated = await deps.db.transaction(async (tx) => {
      const r = await updateWaba(tx, waba, patch);
      await repriceWabaMonths(tx, r.repriceWabas, deps.domain);
      const effect = { kind: 'reprice_wabas', waba_ids: r.repriceWabas } as const;
      await archiveReference(
        tx,
        deps.host.ingestLake,
        { tables: [{ table: 'wabas', keys: [waba.waba_id] }], effect },
        deps.clock.now(),
      );
      return r.waba;
    });
    return c.json(updated);
  },
);
