/** GET /v1/payment-methods: the methods offered in a currency (or a number's WABA currency) with their fees. */
import { z } from 'zod';
import { loadPhoneNumber } from '../auth/access.js';
import { paymentMethodsFor } from '../funding/payment-methods.js';
import { currencyParam, idParam } from '../http/params.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, ok } from './doc-schemas.js';

const methodsQuery = z
  .object({
    currency: currencyParam.optional().meta({ description: 'ISO 4217 code; give this or phone_number_id' }),
    phone_number_id: idParam.optional().meta({ description: 'The number whose WABA currency applies' }),
  })
  .refine((q) => (q.currency === undefined) !== (q.phone_number_id === undefined), {
    message: 'give exactly one of currency or phone_number_id',
    path: ['currency'],
  });

const methodsAnswer = z.object({
  currency: z.string().meta({ example: 'INR' }),
  methods: z.array(
    z.object({
      method: z.string().meta({ example: 'card' }),
      fee: z.object({
        percent: z.string().meta({ example: '4' }),
        fixed: z.string().meta({ example: '0' }),
      }),
    }),
  ),
});

export const paymentMethodRoutes = routeApp();

defineRoute(
  paymentMethodRoutes,
  {
    method: 'get',
    path: '/',
    summary:
      'Payment methods offered in a currency with their fees (FEE_SCHEDULE less the methods ' +
      'PAYMENT_METHOD_CURRENCIES keeps to other currencies: Pix is BRL only)',
    request: { query: methodsQuery },
    responses: { ...ok('Methods', methodsAnswer), ...errors(400, 401, 404) },
  },
  async (c) => {
    // Configuration, not data: every caller may ask by currency; asking by number checks the tenancy first.
    const q = c.req.valid('query');
    const phone = q.phone_number_id
      ? await loadPhoneNumber(c.var.deps.money, c.var.principal, q.phone_number_id)
      : null;
    const currency = phone?.currency ?? q.currency!;
    return c.json({ currency, methods: paymentMethodsFor(c.var.deps.config, currency) });
  },
);
