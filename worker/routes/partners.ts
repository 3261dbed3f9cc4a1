/** Admin-only management of partners and their API keys. */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireAdmin } from '../auth/access.js';
import type { AppEnv } from '../env.js';
import { idParam } from '../http/params.js';
import { parseJsonBody } from '../http/validate.js';
import { originListSchema } from '../tenancy/origin.js';
import {
  createApiKey,
  createPartner,
  getPartner,
  listPartners,
  revokeApiKey,
  updatePartnerOrigins,
} from '../tenancy/partners.js';

const createPartnerSchema = z.object({
  partner_id: idParam,
  name: z.string().min(1).max(200),
  allowed_origins: originListSchema.default([]),
});

export const partnerRoutes = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    requireAdmin(c.var.principal);
    await next();
  })
  .get('/', async (c) => c.json({ partners: await listPartners(c.var.deps.db) }))
  .post('/', async (c) => {
    const input = await parseJsonBody(c, createPartnerSchema);
    const { db, clock } = c.var.deps;
    const result = await db.transaction(async (tx) => {
      const partner = await createPartner(tx, input, clock.now());
      const key = await createApiKey(tx, partner.partner_id, 'initial', clock.now());
      return { ...partner, ...key };
    });
    return c.json(result, 201);
  })
  .get('/:id', async (c) => c.json(await getPartner(c.var.deps.db, c.req.param('id'))))
  .patch('/:id', async (c) => {
    const input = await parseJsonBody(c, z.object({ allowed_origins: originListSchema }).strict());
    const { db } = c.var.deps;
    const id = c.req.param('id');
    return c.json(await db.transaction((tx) => updatePartnerOrigins(tx, id, input.allowed_origins)));
  })
  .post('/:id/api-keys', async (c) => {
    const input = await parseJsonBody(c, z.object({ label: z.string().max(200).nullable().default(null) }));
    const { db, clock } = c.var.deps;
    return c.json(await createApiKey(db, c.req.param('id'), input.label, clock.now()), 201);
  })
  .delete('/:id/api-keys/:keyId', async (c) => {
    const { db, clock } = c.var.deps;
    await revokeApiKey(db, c.req.param('id'), c.req.param('keyId'), clock.now());
    // A revoked key must stop working at once, not when its cache entry expires.
    c.var.deps.services.apiKeys.forget();
    return c.body(null, 204);
  });
