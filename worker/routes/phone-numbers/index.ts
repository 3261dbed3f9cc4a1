/** Phone numbers (the Hub's "channels") of the caller's WABAs. */
import { Hono } from 'hono';
import { z } from 'zod';
import { loadPhoneNumber, loadWaba, requireManager, visiblePhoneNumbers } from '../../auth/access.js';
import type { AppEnv } from '../../env.js';
import { idParam } from '../../http/params.js';
import { parseJsonBody, validate } from '../../http/validate.js';
import { displayNumberSchema } from '../../input-rules.js';
import { createPhoneNumber, updatePhoneLabel } from '../../tenancy/wabas.js';

const createSchema = z.object({
  phone_number_id: idParam,
  waba_id: idParam,
  display_phone_number: displayNumberSchema.optional(),
  label: z.string().max(100).optional(),
});

export const phoneNumberRoutes = new Hono<AppEnv>()
  .get('/', validate('query', z.object({ waba_id: idParam.optional() })), async (c) => {
    const { waba_id } = c.req.valid('query');
    return c.json({
      phone_numbers: await visiblePhoneNumbers(c.var.deps.db, c.var.principal, { wabaId: waba_id }),
    });
  })
  .post('/', async (c) => {
    requireManager(c.var.principal);
    const input = await parseJsonBody(c, createSchema);
    const { db, clock } = c.var.deps;
    await loadWaba(db, c.var.principal, input.waba_id);
    await createPhoneNumber(db, input, clock.now());
    return c.json(await loadPhoneNumber(db, c.var.principal, input.phone_number_id), 201);
  })
  .get('/:id', async (c) => c.json(await loadPhoneNumber(c.var.deps.db, c.var.principal, c.req.param('id'))))
  .patch('/:id', async (c) => {
    // Editing a label is allowed from the funds table widget (add-funds scope) as well as with an API key.
    const p = c.var.principal;
    if (p.kind === 'embed' && !p.scopes.includes('add-funds')) requireManager(p);
    const input = await parseJsonBody(c, z.object({ label: z.string().max(100).nullable() }));
    const { db } = c.var.deps;
    await loadPhoneNumber(db, p, c.req.param('id'));
    await updatePhoneLabel(db, c.req.param('id'), input.label);
    return c.json(await loadPhoneNumber(db, p, c.req.param('id')));
  });
