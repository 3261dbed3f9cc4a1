/**
 * Admin-only management of partners and their API keys, in the money plane (the tenancy's truth); a new
 * partner is then mirrored into the analytics plane and recorded in the lake's reference log.
 */
import { z } from 'zod';
import { idParam } from '../http/params.js';
import { archiveReference } from '../lake/archive-reference.js';
import { originListSchema } from '../tenancy/origin.js';
import { writeTenancy } from '../tenancy/write-tenancy.js';
import {
  createApiKey,
  createPartner,
  getPartner,
  listPartners,
  revokeApiKey,
  updatePartnerOrigins,
} from '../tenancy/partners.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, idPath, jsonBody, ok } from './doc-schemas.js';
import { admin } from './guards.js';

const origins = originListSchema.meta({
  uniqueItems: true,
  description:
    'Browser origins exactly as browsers send them: scheme, host, optional non-default port; no path, no ' +
    'trailing slash, no wildcard. Pages on these origins may call the API with the partner’s embed tokens.',
  items: { type: 'string', example: 'https://portal.example.com' },
});

const createPartnerSchema = z.object({
  partner_id: idParam,
  name: z.string().min(1).max(200),
  allowed_origins: origins.default([]),
});

const partnerAnswer = z.object({
  partner_id: z.string(),
  name: z.string(),
  allowed_origins: origins,
  created_at: z.iso.datetime(),
});

const keyPath = z.object({
  id: z.string().meta({ description: 'Partner id' }),
  keyId: z.string().meta({ description: 'API key id' }),
});

export const partnerRoutes = routeApp();

defineRoute(
  partnerRoutes,
  {
    method: 'get',
    path: '/',
    summary: 'List partners (admin)',
    middleware: [admin],
    responses: { ...ok('Partners'), ...errors(401, 403) },
  },
  async (c) => c.json({ partners: await listPartners(c.var.deps.money) }),
);

defineRoute(
  partnerRoutes,
  {
    method: 'post',
    path: '/',
    summary: 'Create a partner and its first API key (admin); the key is shown once',
    middleware: [admin],
    request: { body: jsonBody(createPartnerSchema) },
    responses: { ...ok('Created', {}, '201'), ...errors(400, 401, 403, 409) },
  },
  async (c) => {
    const input = c.req.valid('json');
    const deps = c.var.deps;
    const now = deps.clock.now();
    const result = await writeTenancy(deps, {
      write: async (tx) => {
        const partner = await createPartner(tx, input, now);
        return { ...partner, ...(await createApiKey(tx, partner.partner_id, 'initial', now)) };
      },
      changed: (r) => ({ partners: [r.partner_id] }),
      analytics: (tx, r) => {
        const change = { tables: [{ table: 'partners', keys: [r.partner_id] }] } as const;
        return archiveReference(tx, deps.host.ingestLake, change, now);
      },
    });
    return c.json(result, 201);
  },
);

defineRoute(
  partnerRoutes,
  {
    method: 'get',
    path: '/{id}',
    summary: 'One partner with its allowed origins (admin)',
    middleware: [admin],
    request: { params: idPath() },
    responses: { ...ok('Partner', partnerAnswer), ...errors(401, 403, 404) },
  },
  async (c) => c.json(await getPartner(c.var.deps.money, c.req.valid('param').id)),
);

defineRoute(
  partnerRoutes,
  {
    method: 'patch',
    path: '/{id}',
    summary: "Replace a partner's allowed browser origins (CORS for its embed tokens; admin)",
    middleware: [admin],
    request: { params: idPath(), body: jsonBody(z.object({ allowed_origins: origins }).strict()) },
    responses: { ...ok('The partner as saved', partnerAnswer), ...errors(400, 401, 403, 404) },
  },
  async (c) => {
    const input = c.req.valid('json');
    const { id } = c.req.valid('param');
    return c.json(
      await c.var.deps.money.transaction((tx) => updatePartnerOrigins(tx, id, input.allowed_origins)),
    );
  },
);

defineRoute(
  partnerRoutes,
  {
    method: 'post',
    path: '/{id}/api-keys',
    summary: 'Issue another API key (admin)',
    middleware: [admin],
    request: {
      params: idPath(),
      body: jsonBody(z.object({ label: z.string().max(200).nullable().default(null) })),
    },
    responses: { ...ok('Created', {}, '201'), ...errors(400, 401, 403, 404) },
  },
  async (c) => {
    const { money, clock } = c.var.deps;
    const key = await createApiKey(money, c.req.valid('param').id, c.req.valid('json').label, clock.now());
    return c.json(key, 201);
  },
);

defineRoute(
  partnerRoutes,
  {
    method: 'delete',
    path: '/{id}/api-keys/{keyId}',
    summary: 'Revoke an API key (admin); requests with it answer 401 from then on',
    middleware: [admin],
    request: { params: keyPath },
    responses: { '204': { description: 'Revoked' }, ...errors(401, 403, 404) },
  },
  async (c) => {
    const { money, clock } = c.var.deps;
    const { id, keyId } = c.req.valid('param');
    await revokeApiKey(money, id, keyId, clock.now());
    // A revoked key must stop working at once, not when its cache entry expires.
    c.var.deps.services.apiKeys.forget();
    return c.body(null, 204);
  },
);
