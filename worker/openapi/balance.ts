/** Paths of the balance area: ledger, add funds, auto-renewal, audit, alerts, payment webhook. */
import { errors, jsonBody, ok, pathParam, queryParam } from './helpers.js';
import { accountStartSchema, dataThroughSchema, unpricedUnitsSchema } from './honest-fields.js';

const money = { type: 'string', example: '50.000000', description: 'Exact decimal in the WABA currency' };
const amount = {
  ...money,
  description: 'Exact decimal in the WABA currency, at most 10000000 (MAX_REQUEST_AMOUNT); 400 above',
};
const id = pathParam('id', 'Phone number id');

function idempotencyKey(required: boolean) {
  return {
    name: 'Idempotency-Key',
    in: 'header',
    required,
    description:
      'Same key + same body answers the first answer again (Idempotent-Replayed: true); a different body ' +
      'answers 422 idempotency_key_reused',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  };
}

const renewal = {
  type: 'object',
  description:
    'Merged onto the saved settings: a field left out keeps its saved value, null clears monthly_cap or ' +
    'low_balance_threshold; the first settings of a number need threshold and amount',
  properties: {
    enabled: { type: 'boolean' },
    threshold: { ...amount, description: 'Renew when the settled balance is at or below this (≤ 10000000)' },
    mode: { type: 'string', enum: ['fixed', 'target'], default: 'fixed' },
    amount: { ...amount, description: 'Fixed top-up amount, or (mode target) the balance to top up to' },
    monthly_cap: { ...amount, nullable: true, description: 'Most auto/emergency top-ups per local month' },
    payment_method: { type: 'string', example: 'card', default: 'card' },
    low_balance_threshold: { ...amount, nullable: true, description: 'low_balance alert level' },
  },
};

export const balancePaths: Record<string, unknown> = {
  '/v1/phone-numbers/{id}/balance': {
    get: {
      summary:
        'Settled balance (pending top-ups apart), state, ran_out_at (when a zero or negative balance got ' +
        'there) and auto-renewal settings',
      parameters: [id],
      responses: {
        ...ok('Balance', {
          type: 'object',
          properties: {
            phone_number_id: { type: 'string' },
            currency: { type: 'string' },
            balance: money,
            pending: money,
            state: { type: 'string', enum: ['positive', 'zero', 'negative'] },
            ran_out_at: { type: 'string', format: 'date-time', nullable: true },
            auto_renewal: { type: 'object', nullable: true },
            account_start: accountStartSchema,
            data_through: dataThroughSchema,
          },
        }),
        ...errors(401, 403, 404),
      },
    },
  },
  '/v1/phone-numbers/{id}/account-start': {
    get: {
      summary:
        'When the prepaid account starts: usage charges of earlier WABA-local days never debit the balance ' +
        '(the first top-up’s day, or an earlier day set by the partner; read-balance)',
      parameters: [id],
      responses: { ...ok('Account start', accountStartSchema), ...errors(401, 403, 404) },
    },
    put: {
      summary:
        'Set (or with null clear) the partner’s start day (API key or admin; audited). The ledger re-posts the ' +
        'usage charges to match; 409 for a day after the first top-up or in the future',
      parameters: [id],
      requestBody: jsonBody({
        type: 'object',
        required: ['starts_on'],
        properties: { starts_on: { type: 'string', format: 'date', nullable: true, example: '2026-01-01' } },
      }),
      responses: { ...ok('Account start', accountStartSchema), ...errors(400, 401, 403, 404, 409) },
    },
  },
  '/v1/balances': {
    get: {
      summary:
        'Balance breakdown across the visible numbers: totals per currency, each number’s share (null when the ' +
        'currency total is zero or its balances have both signs), state and ran_out_at',
      parameters: [queryParam('waba_id', 'Only this WABA')],
      responses: {
        ...ok('Breakdown', {
          type: 'object',
          properties: {
            totals: { type: 'array', items: { type: 'object' } },
            numbers: {
              type: 'array',
              items: { type: 'object', properties: { data_through: dataThroughSchema } },
            },
            data_through: dataThroughSchema,
          },
        }),
        ...errors(401, 403, 404),
      },
    },
  },
  '/v1/phone-numbers/{id}/ledger': {
    get: {
      summary:
        'Monthly statement: opening balance, movements, closing balance (JSON, CSV, Arrow), the paid units of the ' +
        'month that could not be priced (unpriced_units) and the account start',
      parameters: [id, queryParam('month', 'YYYY-MM in the WABA time zone', { type: 'string' }, true)],
      responses: {
        ...ok('Statement', {
          type: 'object',
          properties: {
            opening_balance: money,
            closing_balance: money,
            unpriced_units: unpricedUnitsSchema,
            account_start: accountStartSchema,
            rows: { type: 'array', items: { type: 'object' } },
          },
        }),
        ...errors(400, 401, 403, 404, 406),
      },
    },
  },
  '/v1/phone-numbers/{id}/refunds': {
    post: {
      summary:
        'Refund unused settled balance (API key or admin); above zero (else 400), cannot exceed the settled balance (409)',
      parameters: [id, idempotencyKey(true)],
      requestBody: jsonBody({
        type: 'object',
        required: ['amount'],
        properties: { amount, reason: { type: 'string', maxLength: 500 } },
      }),
      responses: { ...ok('Refunded', {}, '201'), ...errors(400, 401, 403, 404, 409, 422) },
    },
  },
  '/v1/payment-methods': {
    get: {
      summary:
        'Payment methods offered in a currency with their fees (FEE_SCHEDULE less the methods ' +
        'PAYMENT_METHOD_CURRENCIES keeps to other currencies: Pix is BRL only)',
      parameters: [
        queryParam('currency', 'ISO 4217 code; give this or phone_number_id'),
        queryParam('phone_number_id', 'The number whose WABA currency applies'),
      ],
      responses: {
        ...ok('Methods', {
          type: 'object',
          properties: {
            currency: { type: 'string', example: 'INR' },
            methods: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  method: { type: 'string', example: 'card' },
                  fee: {
                    type: 'object',
                    properties: {
                      percent: { type: 'string', example: '4' },
                      fixed: { type: 'string', example: '0' },
                    },
                  },
                },
              },
            },
          },
        }),
        ...errors(400, 401, 404),
      },
    },
  },
  '/v1/phone-numbers/{id}/funds/quotes': {
    post: {
      summary:
        'Quote a top-up: amount or enough for N days, payment method fee, total; valid 15 minutes. 409 ' +
        'limit_exceeded when settled + pending + amount would pass 100000000 (MAX_BALANCE)',
      parameters: [id, idempotencyKey(false)],
      requestBody: jsonBody({
        type: 'object',
        required: ['mode', 'payment_method'],
        properties: {
          mode: { type: 'string', enum: ['one_time', 'auto_renewal'] },
          amount,
          days: { type: 'integer', minimum: 1, maximum: 365 },
          payment_method: { type: 'string', example: 'card' },
          auto_renewal: {
            type: 'object',
            description: 'mode auto_renewal: saved on confirm with amount = the quoted amount',
            properties: { threshold: amount, monthly_cap: amount, low_balance_threshold: amount },
          },
        },
      }),
      responses: { ...ok('Quote', {}, '201'), ...errors(400, 401, 403, 404, 409, 422) },
    },
  },
  '/v1/phone-numbers/{id}/funds': {
    post: {
      summary:
        'Confirm a quote; the top-up is pending until the payment settles (409 limit_exceeded past MAX_BALANCE)',
      parameters: [id, idempotencyKey(true)],
      requestBody: jsonBody({
        type: 'object',
        required: ['quote_id'],
        properties: { quote_id: { type: 'string' } },
      }),
      responses: { ...ok('Pending top-up', {}, '202'), ...errors(400, 401, 403, 404, 409, 422) },
    },
    get: {
      summary: 'Top-ups of the number, newest first',
      parameters: [id],
      responses: { ...ok('Top-ups'), ...errors(401, 403, 404) },
    },
  },
  '/v1/phone-numbers/{id}/auto-renewal': {
    get: {
      summary: 'Auto-renewal settings (null when never configured)',
      parameters: [id],
      responses: { ...ok('Settings'), ...errors(401, 403, 404) },
    },
    put: {
      summary:
        'Change auto-renewal settings, merged onto the saved ones (audited); answers warnings such as ' +
        'amount ≤ threshold',
      parameters: [id, idempotencyKey(false)],
      requestBody: jsonBody(renewal),
      responses: { ...ok('Saved'), ...errors(400, 401, 403, 404, 422) },
    },
  },
  '/v1/phone-numbers/{id}/audit': {
    get: {
      summary: 'Audit log of funding settings: actor, time, before, after',
      parameters: [id],
      responses: { ...ok('Entries'), ...errors(401, 403, 404) },
    },
  },
  '/v1/alerts': {
    get: {
      summary: 'Alert feed of the partner, newest first',
      parameters: [
        queryParam('phone_number_id', 'Comma-separated ids (WABA alerts have none)'),
        queryParam('waba_id', 'Comma-separated WABA ids'),
        queryParam(
          'kind',
          'low_balance, runway_short, renewal_failed, renewal_disabled, stale_data (a number; stale_data once ' +
            'per silence of its feed); unpriced_units (once per WABA and local month)',
        ),
        queryParam('since', 'ISO timestamp'),
        queryParam('limit', '1..1000, default 100', { type: 'integer' }),
        queryParam('partner_id', 'Admin only'),
      ],
      responses: { ...ok('Alerts'), ...errors(400, 401, 403) },
    },
  },
  '/v1/alert-subscriptions': {
    get: {
      summary: 'Alert webhook subscriptions',
      responses: { ...ok('Subscriptions'), ...errors(401, 403) },
    },
    post: {
      summary:
        'Subscribe a URL to alerts; deliveries carry X-Signature: sha256=<HMAC of the body>. Only public ' +
        'http(s) addresses (400 for loopback, private, link-local, unique-local or reserved targets)',
      requestBody: jsonBody({
        type: 'object',
        required: ['url'],
        properties: {
          url: { type: 'string', format: 'uri' },
          secret: { type: 'string', minLength: 16, description: 'Generated and shown once when omitted' },
        },
      }),
      responses: { ...ok('Created', {}, '201'), ...errors(400, 401, 403) },
    },
  },
  '/v1/alert-subscriptions/{id}': {
    delete: {
      summary: 'Remove a subscription',
      parameters: [pathParam('id')],
      responses: { '204': { description: 'Removed' }, ...errors(401, 403, 404) },
    },
  },
  '/v1/payments/webhook': {
    post: {
      summary:
        'Payment processor events (payment.succeeded | payment.failed with topup_id); HMAC-signed, no bearer',
      security: [],
      parameters: [
        {
          name: 'X-Signature',
          in: 'header',
          required: true,
          schema: { type: 'string', example: 'sha256=…' },
        },
      ],
      requestBody: jsonBody({
        type: 'object',
        required: ['type', 'topup_id'],
        properties: {
          type: { type: 'string', enum: ['payment.succeeded', 'payment.failed'] },
          topup_id: { type: 'string' },
          reason: { type: 'string' },
        },
      }),
      responses: { ...ok('Received'), ...errors(400, 401, 404) },
    },
  },
};
