/** Paths of the send gate and the balance runway. */
import { errors, jsonBody, ok, pathParam, queryParam } from './helpers.js';
import { dataThroughSchema } from './honest-fields.js';

const window = {
  type: 'object',
  properties: {
    csw_open_until: { type: ['string', 'null'], format: 'date-time' },
    fep_open_until: { type: ['string', 'null'], format: 'date-time' },
  },
};

const decision = {
  type: 'object',
  required: ['allowed', 'opens_unit', 'paid', 'category', 'pricing_model', 'reason', 'window'],
  properties: {
    allowed: { type: 'boolean' },
    opens_unit: {
      type: 'boolean',
      description: 'CBP: the message opens a conversation. PMP: the message is a billing unit itself.',
    },
    paid: { type: 'boolean' },
    category: { type: ['string', 'null'], example: 'marketing' },
    pricing_model: { type: 'string', enum: ['CBP', 'PMP'] },
    pricing_type: {
      type: ['string', 'null'],
      enum: ['regular', 'free_customer_service', 'free_entry_point', 'free_tier', null],
      description: "free_tier: a service reply inside the number's monthly free allowance (from 2026-10-01)",
    },
    reason: {
      type: 'string',
      example: 'opens_marketing_conversation',
      description:
        'e.g. opens_marketing_conversation, utility_free_in_csw, template_charged, csw_closed; from 2026-10-01 ' +
        'service_in_free_allowance or service_charged',
    },
    window,
    dry_run: { type: 'boolean' },
  },
};

const runOut = {
  type: 'object',
  description: 'Day the settled balance reaches zero; null = not within the horizon.',
  properties: {
    p10: { type: ['string', 'null'], format: 'date' },
    p50: { type: ['string', 'null'], format: 'date' },
    p90: { type: ['string', 'null'], format: 'date' },
    probability: { type: 'number', description: 'Share of sample paths that run out within the horizon' },
  },
};

export const gatePaths: Record<string, unknown> = {
  '/v1/phone-numbers/{id}/messages/authorize': {
    post: {
      summary:
        'Authorize a message now: decide CBP/PMP/FEP charging, check the balance, record the window state',
      description:
        'Inbound is always allowed and opens/refreshes the 24-h customer service window (a CTWA/Page CTA referral ' +
        'from Android/iOS lets the next business answer within 24 h open a 72-h free entry point). An allowed ' +
        'outbound message is recorded (opens conversations etc.); `dry_run: true` asks without recording. A paid ' +
        'send with settled balance ≤ 0 answers 402 insufficient_balance; a free-form message outside the window ' +
        'answers 422 window_closed. API keys only (not embed tokens).',
      parameters: [pathParam('id')],
      requestBody: jsonBody({
        type: 'object',
        required: ['direction', 'recipient'],
        properties: {
          direction: { type: 'string', enum: ['inbound', 'outbound'] },
          recipient: { type: 'string', description: 'Customer wa_id (digits); for inbound, the sender' },
          kind: { type: 'string', enum: ['template', 'non_template'], description: 'Required for outbound' },
          category: {
            type: 'string',
            enum: ['marketing', 'utility', 'authentication', 'authentication_international', 'service'],
            description: 'Required for templates',
          },
          referral: {
            type: 'object',
            properties: { source_type: { type: 'string', enum: ['ad', 'post'] } },
            description: 'Inbound from a Click-to-WhatsApp ad or Page call-to-action',
          },
          client: {
            type: 'string',
            enum: ['android', 'ios', 'web', 'desktop'],
            description: 'Unknown = mobile',
          },
          at: { type: 'string', format: 'date-time', description: 'Default: now' },
          dry_run: { type: 'boolean' },
        },
      }),
      responses: { ...ok('Decision', decision), ...errors(400, 401, 402, 403, 404, 422) },
    },
  },
  '/v1/phone-numbers/{id}/runway': {
    get: {
      summary: 'When the balance runs out (P10/P50/P90), without and with auto-renewal; recommended settings',
      parameters: [
        pathParam('id'),
        queryParam('horizon_days', 'Days to simulate (1–365, default 90)', { type: 'integer' }),
      ],
      responses: {
        ...ok('Runway', {
          type: 'object',
          properties: {
            phone_number_id: { type: 'string' },
            currency: { type: 'string' },
            balance: { type: 'string', example: '95.000000' },
            as_of: { type: 'string', format: 'date-time' },
            data_through: dataThroughSchema,
            estimate: { type: 'boolean' },
            horizon_days: { type: 'integer' },
            method: { type: 'string' },
            seasonality: { type: 'object' },
            runs_out: {
              type: 'object',
              properties: { without_renewal: runOut, with_renewal: { ...runOut, type: ['object', 'null'] } },
            },
            renewal_simulated: { type: ['object', 'null'] },
            daily_spend_history: { type: 'array', items: { type: 'object' } },
            daily_spend_forecast: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  day: { type: 'string', format: 'date' },
                  mean: { type: 'string' },
                  lower_80: { type: 'string' },
                  upper_80: { type: 'string' },
                },
              },
            },
            recommended: {
              type: ['object', 'null'],
              properties: {
                threshold: { type: 'string' },
                amount: { type: 'string' },
                usage: { type: 'string', enum: ['stable', 'fluctuating'] },
                daily_average: { type: 'string' },
                weekly_variation: { type: ['number', 'null'] },
              },
            },
            runway_short: { type: 'boolean' },
            spend_through: {
              type: ['string', 'null'],
              format: 'date',
              description:
                "The number's last local day with usage data; later days are forecast, not read as zero spend",
            },
            stale: { type: 'boolean', description: 'The feed is two or more complete days behind' },
            unseen_days: { type: 'integer', description: 'Complete days between spend_through and today' },
            unseen_spend: {
              type: ['object', 'null'],
              description:
                'Forecast spend of the unseen days (mean, Σ of the daily 80 % bounds): it comes off the balance first',
            },
          },
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  },
};
