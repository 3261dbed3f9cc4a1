/**
 * /v1/phone-numbers: the numbers (the Hub's "channels") of the caller's WABAs, and under /{id} everything about
 * one number (number.ts mounts that tree).
 */
import { z } from 'zod';
import { loadPhoneNumber, loadWaba, visiblePhoneNumbers } from '../../auth/access.js';
import { idParam } from '../../http/params.js';
import { displayNumberSchema } from '../../input-rules.js';
import { archiveReference } from '../../lake/archive-reference.js';
import { createPhoneNumber } from '../../tenancy/wabas.js';
import { writeTenancy } from '../../tenancy/write-tenancy.js';
import { defineRoute, routeApp } from '../define-route.js';
import { errors, jsonBody, ok } from '../doc-schemas.js';
import { manager } from '../guards.js';
import { numberRoutes } from './number.js';

const createSchema = z.object({
  phone_number_id: idParam,
  waba_id: idParam,
  display_phone_number: displayNumberSchema.optional(),
  label: z.string().max(100).optional(),
});

export const phoneNumberRoutes = routeApp();

defineRoute(
  phoneNumberRoutes,
  {
    method: 'get',
    path: '/',
    summary: 'Phone numbers visible to the caller',
    request: { query: z.object({ waba_id: idParam.optional().meta({ description: 'Only this WABA' }) }) },
    responses: { ...ok('Phone numbers'), ...errors(401, 404) },
  },
  async (c) => {
    const { waba_id } = c.req.valid('query');
    return c.json({
      phone_numbers: await visiblePhoneNumbers(c.var.deps.money, c.var.principal, { wabaId: waba_id }),
    });
  },
);

defineRoute(
  phoneNumberRoutes,
  {
    method: 'post',
    path: '/',
    summary: 'Register a phone number under a WABA',
    middleware: [manager],
    request: { body: jsonBody(createSchema) },
    responses: { ...ok('Created', {}, '201'), ...errors(400, 401, 403, 404, 409) },
  },
  async (c) => {
    const input = c.req.valid('json');
    const deps = c.var.deps;
    const now = deps.clock.now();
    await loadWaba(deps.money, c.var.principal, input.waba_id);
    const keys = [input.phone_number_id];
    await writeTenancy(deps, {
      write: (tx) => createPhoneNumber(tx, input, now),
      changed: () => ({ phone_numbers: keys }),
      analytics: (tx) =>
        archiveReference(tx, deps.host.ingestLake, { tables: [{ table: 'phone_numbers', keys }] }, now),
    });
    return c.json(await loadPhoneNumber(deps.money, c.var.principal, input.phone_number_id), 201);
  },
);

phoneNumberRoutes.route('/:id', numberRoutes);
