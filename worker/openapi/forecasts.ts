/** Paths of the generic forecasting surface: POST /v1/forecasts. */
import { errors, jsonBody, queryParam } from './helpers.js';

const forecastRow = {
  type: 'object',
  properties: {
    h: { type: 'integer', minimum: 1 },
    period: { type: 'string', example: '2025-01', description: 'Only for series sent as dated points' },
    mean: { type: 'number' },
    lower_80: { type: 'number' },
    upper_80: { type: 'number' },
    lower_95: { type: 'number' },
    upper_95: { type: 'number' },
  },
  additionalProperties: {
    type: 'number',
    description: 'lower_<level>/upper_<level> for each requested level',
  },
};

const seriesItem = {
  oneOf: [
    {
      type: 'object',
      required: ['id', 'values'],
      properties: {
        id: { type: 'string' },
        values: { type: 'array', items: { type: 'number' }, maxItems: 10000 },
      },
    },
    {
      type: 'object',
      required: ['id', 'points'],
      properties: {
        id: { type: 'string' },
        points: {
          type: 'array',
          maxItems: 10000,
          items: {
            type: 'object',
            required: ['period', 'value'],
            properties: { period: { type: 'string', example: '2024-01' }, value: { type: 'number' } },
          },
        },
      },
    },
  ],
};

const optionQuery = [
  queryParam('horizon', 'Steps ahead, 1..60 (CSV and Arrow bodies)', {
    type: 'integer',
    minimum: 1,
    maximum: 60,
  }),
  queryParam('season_length', 'Season length, default 12', { type: 'integer', minimum: 1, default: 12 }),
  queryParam('levels', 'Interval levels in percent, comma-separated, default 80,95', {
    type: 'string',
    example: '80,95',
  }),
  queryParam('method', 'auto (default), ets, theta, snaive, naive, naive2, mean, croston', {
    type: 'string',
  }),
];

export const forecastPaths: Record<string, unknown> = {
  '/v1/forecasts': {
    post: {
      summary: 'Forecast any series (JSON, long CSV series_id,t,value, or Arrow IPC); scope read-usage',
      description:
        'Automatic method per series (ETS family by AICc combined with Theta and a damped trend; fallbacks for ' +
        'short, all-zero and intermittent series), prediction intervals at the requested levels and a rolling-origin ' +
        'backtest (MASE, sMAPE). Limits: 10,000 series, 10,000 points each, 2,000,000 points in all, horizon 1..60. ' +
        'Send Accept: text/csv or the Arrow stream type for one long table of forecast rows.',
      parameters: optionQuery,
      requestBody: {
        ...jsonBody({
          type: 'object',
          required: ['series', 'horizon'],
          properties: {
            series: { type: 'array', items: seriesItem, minItems: 1, maxItems: 10000 },
            horizon: { type: 'integer', minimum: 1, maximum: 60 },
            season_length: { type: 'integer', minimum: 1, default: 12 },
            levels: {
              type: 'array',
              items: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100 },
              default: [80, 95],
            },
            method: { type: 'string', default: 'auto' },
          },
        }),
        content: {
          ...(jsonBody({}).content as Record<string, unknown>),
          'text/csv': { schema: { type: 'string', example: 'series_id,t,value\na,1,10\na,2,12\n' } },
          'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
        },
      },
      responses: {
        '200': {
          description: 'One result per series',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  horizon: { type: 'integer' },
                  season_length: { type: 'integer' },
                  levels: { type: 'array', items: { type: 'number' } },
                  results: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        series_id: { type: 'string' },
                        method: { type: 'string', example: 'combo(Theta+ETS(M,Ad,M)+Damped)' },
                        forecast: { type: 'array', items: forecastRow },
                        backtest: {
                          type: 'object',
                          properties: {
                            mase: { type: ['number', 'null'] },
                            smape: { type: ['number', 'null'] },
                            horizon: { type: 'integer' },
                            method: { type: 'string' },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
          },
        },
        ...errors(400, 401, 403, 406, 413, 415),
      },
    },
  },
};
