/** GET/PUT /v1/phone-numbers/{id}/account-start: when a number's prepaid account starts (account-start.ts). */
import { Hono } from 'hono';
import { z } from 'zod';
import { loadPhoneNumber, requireManager, requireScope } from '../../auth/access.js';
import { describePrincipal } from '../../auth/principal.js';
import type { AppEnv } from '../../env.js';
import { fundingContextOf } from '../../funding/context.js';
import { dayParam } from '../../http/params.js';
import { parseJsonBody } from '../../http/validate.js';
import { getAccountStart, setAccountStart } from '../../balance/account-start.js';

const realDay = dayParam.refine(
  (d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
  'must be a calendar date',
);

export const accountStartSchema = z.object({ starts_on: realDay.nullable() }).strict();

export const accountStartRoutes = new Hono<AppEnv>()
  .get('/phone-numbers/:id/account-start', async (c) => {
    requireScope(c.var.principal, 'read-balance');
    const { db } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    return c.json(await getAccountStart(db, phone.phone_number_id));
  })
  .put('/phone-numbers/:id/account-start', async (c) => {
    // Moving the start changes which charges debit the balance: partners and the admin only, never a widget.
    requireManager(c.var.principal);
    const input = await parseJsonBody(c, accountStartSchema);
    const { db } = c.var.deps;
    const phone = await loadPhoneNumber(db, c.var.principal, c.req.param('id'));
    const ctx = fundingContextOf(c.var.deps);
    const out = await db.transaction((tx) =>
      setAccountStart(
        tx,
        {
          phoneNumberId: phone.phone_number_id,
          wabaId: phone.waba_id,
          timezone: phone.timezone,
          startsOn: input.starts_on,
          actor: describePrincipal(c.var.principal),
        },
        ctx,
      ),
    );
    return c.json(out);
  });
