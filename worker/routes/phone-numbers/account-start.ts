/** GET/PUT /v1/phone-numbers/{id}/account-start: when a number's prepaid account starts (ledger/account-start.ts). */
import { z } from 'zod';
import { fundingView, pathPhone } from './path-phone.js';
import { describePrincipal } from '../../auth/principal.js';
import { setAccountStart } from '../../funding/set-account-start.js';
import { getAccountStart } from '../../ledger/account-start.js';
import { dayParam } from '../../http/params.js';
import { planesOf } from '../../db/planes.js';
import { defineRoute, routeApp } from '../define-route.js';
import { accountStartAnswer, errors, jsonBody, ok, phoneIdPath } from '../doc-schemas.js';
import { manager } from '../guards.js';

const realDay = dayParam.refine(
  (d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
  'must be a calendar date',
);

export const accountStartSchema = z
  .object({ starts_on: realDay.nullable().meta({ example: '2026-01-01' }) })
  .strict();

export const accountStartRoutes = routeApp();

defineRoute(
  accountStartRoutes,
  fundingView(
    '/account-start',
    'When the prepaid account starts: usage charges of earlier WABA-local days never debit the balance ' +
      '(the first top-up’s day, or an earlier day set by the partner; read-balance)',
    'Account start',
    accountStartAnswer,
  ),
  async (c) => {
    const { money } = c.var.deps;
    const phone = await pathPhone(c);
    return c.json(await getAccountStart(money, phone.phone_number_id));
  },
);

defineRoute(
  accountStartRoutes,
  {
    method: 'put',
    path: '/account-start',
    summary:
      'Set (or with null clear) the partner’s start day (API key or admin; audited). The ledger re-posts the ' +
      'usage charges to match; 409 for a day after the first top-up or in the future',
    // Moving the start changes which charges debit the balance: partners and the admin only, never a widget.
    middleware: [manager],
    request: { params: phoneIdPath, body: jsonBody(accountStartSchema) },
    responses: { ...ok('Account start', accountStartAnswer), ...errors(400, 401, 403, 404, 409) },
  },
  async (c) => {
    const input = c.req.valid('json');
    const deps = c.var.deps;
    const phone = await pathPhone(c);
    const ctx = deps.domain;
    const out = await deps.money.transaction((tx) =>
      setAccountStart(
        planesOf(deps, tx),
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
  },
);
