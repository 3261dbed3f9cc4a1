/** /v1/phone-numbers/{id}/auto-renewal (settings, merged on PUT) and /audit (the log of funding settings). */
import { z } from 'zod';
import { fundingView, pathPhone } from './path-phone.js';
import { describePrincipal } from '../../auth/principal.js';
import { afterLedgerChange } from '../../funding/after-ledger-change.js';
import { clearAlert } from '../../alerts/alert-table.js';
import { listAudit } from '../../funding/audit.js';
import {
  autoRenewalWarnings,
  getAutoRenewal,
  mergeAutoRenewal,
  saveAutoRenewal,
} from '../../funding/auto-renewal.js';
import { idempotencyOwner, runIdempotent } from '../../funding/idempotency.js';
import { assertMethodOffered } from '../../funding/payment-methods.js';
import { nonNegativeAmount, positiveAmount } from '../../http/params.js';
import { planesOf } from '../../db/planes.js';
import { defineRoute, routeApp } from '../define-route.js';
import { amountDoc, errors, idempotencyKeyOptional, jsonBody, ok, phoneIdPath } from '../doc-schemas.js';
import { scope } from '../guards.js';
import { paymentMethodSchema } from './funds.js';

/** Every field optional: PUT merges onto the saved settings (see mergeAutoRenewal). */
const renewalSchema = z
  .object({
    enabled: z.boolean().optional(),
    threshold: nonNegativeAmount
      .meta(amountDoc('Renew when the settled balance is at or below this'))
      .optional(),
    mode: z.enum(['fixed', 'target']).optional().meta({ default: 'fixed' }),
    amount: positiveAmount
      .meta(amountDoc('Fixed top-up amount, or (mode target) the balance to top up to'))
      .optional(),
    monthly_cap: positiveAmount
      .meta(amountDoc('Most auto/emergency top-ups per local month'))
      .nullable()
      .optional(),
    payment_method: paymentMethodSchema.optional().meta({ default: 'card' }),
    low_balance_threshold: nonNegativeAmount.meta(amountDoc('low_balance alert level')).nullable().optional(),
  })
  .meta({
    description:
      'Merged onto the saved settings: a field left out keeps its saved value, null clears monthly_cap or ' +
      'low_balance_threshold; the first settings of a number need threshold and amount',
  });

export const autoRenewalRoutes = routeApp();

defineRoute(
  autoRenewalRoutes,
  fundingView('/auto-renewal', 'Auto-renewal settings (null when never configured)', 'Settings'),
  async (c) => {
    const { money } = c.var.deps;
    const phone = await pathPhone(c);
    return c.json({
      phone_number_id: phone.phone_number_id,
      currency: phone.currency,
      auto_renewal: await getAutoRenewal(money, phone.phone_number_id),
    });
  },
);

defineRoute(
  autoRenewalRoutes,
  {
    method: 'put',
    path: '/auto-renewal',
    summary:
      'Change auto-renewal settings, merged onto the saved ones (audited); answers warnings such as ' +
      'amount ≤ threshold',
    middleware: [scope('add-funds')],
    request: { params: phoneIdPath, headers: idempotencyKeyOptional, body: jsonBody(renewalSchema) },
    responses: { ...ok('Saved'), ...errors(400, 401, 403, 404, 422) },
  },
  async (c) => {
    const key = c.req.valid('header')['Idempotency-Key'] ?? null;
    const input = c.req.valid('json');
    const deps = c.var.deps;
    const { config } = deps;
    const phone = await pathPhone(c);
    const ctx = deps.domain;
    const request = ['auto-renewal', phone.phone_number_id, input];
    const owner = idempotencyOwner(c.var.principal);
    const answer = await deps.money.transaction((tx) =>
      runIdempotent(tx, { owner, key, request, now: ctx.now() }, async () => {
        const settings = mergeAutoRenewal(await getAutoRenewal(tx, phone.phone_number_id), input);
        assertMethodOffered(config, settings.payment_method, phone.currency);
        const saved = await saveAutoRenewal(
          tx,
          phone.phone_number_id,
          settings,
          describePrincipal(c.var.principal),
          ctx.now(),
        );
        await clearAlert(tx, phone.phone_number_id, 'renewal_disabled', ctx.now());
        await afterLedgerChange(planesOf(deps, tx), phone.phone_number_id, ctx);
        const body = {
          phone_number_id: phone.phone_number_id,
          currency: phone.currency,
          auto_renewal: saved.after,
          warnings: autoRenewalWarnings(saved.after),
        };
        return { status: 200, body };
      }),
    );
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(answer.body);
  },
);

defineRoute(
  autoRenewalRoutes,
  fundingView('/audit', 'Audit log of funding settings: actor, time, before, after', 'Entries'),
  async (c) => {
    const { money } = c.var.deps;
    const phone = await pathPhone(c);
    return c.json({
      phone_number_id: phone.phone_number_id,
      entries: await listAudit(money, phone.phone_number_id),
    });
  },
);
