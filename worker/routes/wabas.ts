/**
 * WABAs of the calling partner (admin names the partner in the body): read from and written to the money plane
 * (the tenancy's truth), each write then mirrored into the analytics plane, where its re-pricing and the lake's
 * reference log follow.
 */
import { z } from 'zod';
import { loadWaba, partnerOf } from '../auth/access.js';
import { ValidationError } from '../errors.js';
import { archiveReference } from '../lake/archive-reference.js';
import { currencyParam, dayParam, idParam, timeZoneParam } from '../http/params.js';
import { repriceWabaMonths } from '../billing/reprice-for-card.js';
import { createWaba, listWabas, updateWaba } from '../tenancy/wabas.js';
import { writeTenancy } from '../tenancy/write-tenancy.js';
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
    const money = c.var.deps.money;
    const wabas = await listWabas(money, partnerOf(p));
    if (p.kind !== 'embed') return c.json({ wabas });
    const visible: typeof wabas = [];
    for (const w of wabas) {
      try {
        visible.push(await loadWaba(money, p, w.waba_id));
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
    const deps = c.var.deps;
    const now = deps.clock.now();
    const waba = await writeTenancy(deps, {
      write: (tx) => createWaba(tx, partnerId, input, now),
      changed: (w) => ({ wabas: [w.waba_id] }),
      analytics: (tx, w) => {
        const change = { tables: [{ table: 'wabas', keys: [w.waba_id] }] } as const;
        return archiveReference(tx, deps.host.ingestLake, change, now);
      },
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
  async (c) => c.json(await loadWaba(c.var.deps.money, c.var.principal, c.req.valid('param').id)),
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
    const deps = c.var.deps;
    const waba = await loadWaba(deps.money, c.var.principal, c.req.valid('param').id);
    const patch = c.req.valid('json');
    const updated = await writeTenancy(deps, {
      write: (tx) => updateWaba(tx, waba, patch),
      changed: () => ({ wabas: [waba.waba_id] }),
      // The volume tiers are counted on the analytics plane, which reads the portfolio from the mirror.
      analytics: async (tx, r) => {
        await repriceWabaMonths(tx, r.repriceWabas, deps.domain, deps);
        const effect = { kind: 'reprice_wabas', waba_ids: r.repriceWabas } as const;
        const change = { tables: [{ table: 'wabas', keys: [waba.waba_id] }], effect } as const;
        await archiveReference(tx, deps.host.ingestLake, change, deps.clock.now());
      },
    });
    return c.json(updated.waba);
  },
);
