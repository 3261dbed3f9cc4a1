/** /v1/phone-numbers/{id}: one number, and the tree of everything about it (balance, funds, runway, sends). */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { loadPhoneNumber, requireManager } from '../../auth/access.js';
import { pathPhone } from './path-phone.js';
import type { AppEnv } from '../../app-deps.js';
import { archiveReference } from '../../lake/archive-reference.js';
import { updatePhoneLabel } from '../../tenancy/wabas.js';
import { writeTenancy } from '../../tenancy/write-tenancy.js';
import { defineRoute, routeApp } from '../define-route.js';
import { errors, jsonBody, ok, phoneIdPath } from '../doc-schemas.js';
import { accountStartRoutes } from './account-start.js';
import { authorizeRoutes } from './authorize.js';
import { autoRenewalRoutes } from './auto-renewal.js';
import { balanceRoutes } from './balance.js';
import { fundsRoutes } from './funds.js';
import { runwayRoutes } from './runway.js';

/** Editing a label is allowed from the funds table widget (add-funds scope) as well as with an API key. */
const labelEditor: MiddlewareHandler<AppEnv> = async (c, next) => {
  const p = c.var.principal;
  if (p.kind === 'embed' && !p.scopes.includes('add-funds')) requireManager(p);
  await next();
};

export const numberRoutes = routeApp();

defineRoute(
  numberRoutes,
  {
    method: 'get',
    path: '/',
    summary: 'One phone number',
    request: { params: phoneIdPath },
    responses: { ...ok('Phone number'), ...errors(401, 404) },
  },
  async (c) => c.json(await pathPhone(c)),
);

defineRoute(
  numberRoutes,
  {
    method: 'patch',
    path: '/',
    summary: 'Edit the label',
    middleware: [labelEditor],
    request: { params: phoneIdPath, body: jsonBody(z.object({ label: z.string().max(100).nullable() })) },
    responses: { ...ok('Phone number'), ...errors(400, 401, 403, 404) },
  },
  async (c) => {
    const p = c.var.principal;
    const { id } = c.req.valid('param');
    const deps = c.var.deps;
    await loadPhoneNumber(deps.money, p, id);
    const change = { tables: [{ table: 'phone_numbers', keys: [id] }] } as const;
    await writeTenancy(deps, {
      write: (tx) => updatePhoneLabel(tx, id, c.req.valid('json').label),
      changed: () => ({ phone_numbers: [id] }),
      analytics: (tx) => archiveReference(tx, deps.host.ingestLake, change, deps.clock.now()),
    });
    return c.json(await loadPhoneNumber(deps.money, p, id));
  },
);

numberRoutes
  .route('/', balanceRoutes)
  .route('/', accountStartRoutes)
  .route('/', fundsRoutes)
  .route('/', autoRenewalRoutes)
  .route('/', runwayRoutes)
  .route('/', authorizeRoutes);
