/** Paths of the pricing area: markets, rate cards, usage/charges forecasts. */
import { errors, jsonBody, ok, pathParam, queryParam } from './helpers.js';
import { dataThroughSchema, unpricedUnitsSchema } from './honest-fields.js';

const forecastParams = [
  queryParam('phone_number_id', 'Forecast one phone number (or give waba_id)'),
  queryParam('waba_id', 'Forecast a WABA: the sum of its visible numbers (bottom-up)'),
  queryParam('horizon', 'Months ahead, 1..24 (default 6)', { type: 'integer', minimum: 1, maximum: 24 }),
  queryParam('level', 'Interval levels in percent, comma separated (default 80,95)'),
];

const forecastAnswer = {
  type: 'object',
  properties: {
    scope: { type: 'object' },
    method: { type: 'string' },
    horizon: { type: 'integer' },
    levels: { type: 'array', items: { type: 'integer' } },
    estimate: { type: 'boolean', enum: [true] },
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          period: { type: 'string' },
          value: {},
          unit: {
            type: 'string',
            description: "'conversation' on months converted into message-equivalents",
          },
          message_equivalent: {
            type: 'number',
            description: 'value × the learned ratio (converted months only)',
          },
        },
      },
    },
    history_basis: {
      type: 'object',
      description:
        'What the forecast was fitted on across the per-message switch (2025-07): converted_from ' +
        "('conversation' when the earlier months were converted into message-equivalents, else null), switch_month, " +
        'ratio (messages per conversation, learned at the switch), ratio_80, months_converted, months_left_out',
    },
    forecast: {
      type: 'array',
      items: {
        type: 'object',
        description:
          '{ period, mean, lower_<level>, upper_<level> … }; charges also allowance_charges (the part priced by ' +
          'the per-number free allowance rule, see rule_change)',
      },
    },
    rule_change: {
      type: 'object',
      description:
        'Charges only: the rule applied to the free-allowance categories (regime, from, categories, ' +
        'free_units_per_number_and_month, first_forecast_period_charged, note): their volume is forecast apart ' +
        'and priced under the regime of each forecast month',
    },
    backtest: { type: 'object', properties: { mase: { type: 'number' }, smape: { type: 'number' } } },
    reconciliation: { type: 'object' },
    data_through: dataThroughSchema,
    unpriced_units: { ...unpricedUnitsSchema, description: 'Charges only: over the history months shown' },
  },
};

const rateEntry = {
  type: 'object',
  required: ['market', 'category'],
  properties: {
    market: { type: 'string', example: 'Rest of Western Europe' },
    category: { type: 'string', example: 'utility' },
    rate: { type: 'string', example: '0.0171', description: 'Decimal ≥ 0, at most 6 decimals' },
    marginal: { type: 'boolean', default: true },
    tiers: {
      type: 'array',
      description: 'PMP utility/authentication only: contiguous, non-overlapping, last one open',
      items: {
        type: 'object',
        properties: {
          lower: { type: 'integer' },
          upper: { type: ['integer', 'null'] },
          rate: { type: 'string' },
        },
      },
    },
  },
};

export const pricingPaths: Record<string, unknown> = {
  '/v1/markets': {
    get: {
      summary: 'Rate market and ISO country of a recipient number (longest calling-code prefix)',
      parameters: [
        queryParam('number', 'Recipient number, E.164 digits', { type: 'string' }, true),
        queryParam('date', 'Local date for dated remaps (default today, UTC)', {
          type: 'string',
          format: 'date',
        }),
      ],
      responses: { ...ok('Market'), ...errors(400, 401) },
    },
  },
  '/v1/rate-cards': {
    get: {
      summary: 'Rate cards with their validity',
      parameters: [
        queryParam('currency', 'ISO 4217'),
        queryParam('effective', 'Only cards in force on this local date', { type: 'string', format: 'date' }),
      ],
      responses: { ...ok('Rate cards'), ...errors(400, 401) },
    },
    post: {
      summary: 'Upload a rate card (admin); re-prices the affected WABA months',
      description:
        'JSON `{ card_id, effective_from, currency, pricing_model, rates: [...] , replace? }`, or text/csv with ' +
        'columns `market,category,rate[,tier_lower,tier_upper,marginal]` and the card fields in the query string.',
      parameters: [
        queryParam('card_id', 'CSV only'),
        queryParam('effective_from', 'CSV only'),
        queryParam('currency', 'CSV only'),
        queryParam('pricing_model', 'CSV only: CBP | PMP'),
        queryParam('replace', 'true to replace a card with the same id'),
      ],
      requestBody: jsonBody({
        type: 'object',
        required: ['card_id', 'effective_from', 'currency', 'pricing_model', 'rates'],
        properties: {
          card_id: { type: 'string' },
          effective_from: { type: 'string', format: 'date' },
          currency: { type: 'string' },
          pricing_model: { type: 'string', enum: ['CBP', 'PMP'] },
          rates: { type: 'array', items: rateEntry },
          replace: { type: 'boolean' },
          description: { type: 'string' },
          source: { type: 'string' },
          confidence: {
            type: 'string',
            description: 'How far the sources are trusted (kept, not used to price)',
          },
          sources: {
            type: 'array',
            maxItems: 50,
            items: { type: 'object', properties: { key: { type: 'string' }, what: { type: 'string' } } },
          },
          gaps: {
            type: 'array',
            maxItems: 50,
            items: { type: 'string' },
            description:
              'Cells or tables the card is known to lack: a cell Meta marks "n/a" is absent, never 0',
          },
          notes: { type: 'array', maxItems: 50, items: { type: 'string' } },
        },
      }),
      responses: { ...ok('Stored card', {}, '201'), ...errors(400, 401, 403, 409, 415) },
    },
  },
  '/v1/rate-cards/{id}': {
    get: {
      summary: 'One rate card with rates, tiers and provenance (confidence, sources, gaps, notes)',
      parameters: [pathParam('id')],
      responses: { ...ok('Rate card'), ...errors(401, 404) },
    },
  },
  '/v1/forecasts/usage': {
    get: {
      summary: 'Monthly usage forecast (estimate) for a phone number or WABA',
      parameters: [...forecastParams, queryParam('measure', 'all | free | paid (default all)')],
      responses: { ...ok('Forecast', forecastAnswer), ...errors(400, 401, 403, 404) },
    },
  },
  '/v1/forecasts/charges': {
    get: {
      summary:
        'Monthly charges forecast (estimate): forecast paid units × latest effective rate, plus service priced by ' +
        'the rule of each forecast month',
      parameters: forecastParams,
      responses: { ...ok('Forecast', forecastAnswer), ...errors(400, 401, 403, 404) },
    },
  },
};
