/** GET /v1/phone-numbers/{id}/runway (read-only) — mounted through gate.ts (the gate area owns the runway route). */
import { Hono } from 'hono';
import { z } from 'zod';
import { loadPhoneNumber, requireScope } from '../../auth/access.js';
import { isRunwayShort } from '../../runway/runway-alert.js';
import { computeRunway } from '../../runway/runway.js';
import type { AppEnv } from '../../env.js';
import { validate } from '../../http/validate.js';
import { dataThrough } from '../../usage/data-feed.js';

const query = z.object({
  horizon_days: z.coerce.number().int().min(1).max(365).default(90),
});

export const runwayRoutes = new Hono<AppEnv>().get(
  '/phone-numbers/:id/runway',
  validate('query', query),
  async (c) => {
    requireScope(c.var.principal, 'read-balance');
    const { db, clock, config } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    const now = clock.now();
    const runway = await computeRunway(db, {
      phoneNumberId: phone.phone_number_id,
      timezone: phone.timezone,
      currency: phone.currency,
      horizonDays: c.req.valid('query').horizon_days,
      now,
      settlementDelayMs: config.settlementDelayMs,
    });
    // A read writes nothing: the runway_short alert is raised by the runway job (startup.ts), not here.
    return c.json({
      ...runway,
      runway_short: isRunwayShort(runway),
      data_through: await dataThrough(db, [phone.phone_number_id]),
    });
  },
);
