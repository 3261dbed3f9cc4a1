/** Paths of tenancy: partners (admin), WABAs, phone numbers. */
import { errors, jsonBody, ok, pathParam, queryParam } from './helpers.js';

const originList = {
  type: 'array',
  maxItems: 50,
  uniqueItems: true,
  description:
    'Browser origins exactly as browsers send them: scheme, host, optional non-default port; no path, no ' +
    'trailing slash, no wildcard. Pages on these origins may call the API with the partner’s embed tokens.',
  items: { type: 'string', example: 'https://portal.example.com' },
};

const partnerSchema = {
  type: 'object',
  properties: {
    partner_id: { type: 'string' },
    name: { type: 'string' },
    allowed_origins: originList,
    created_at: { type: 'string', format: 'date-time' },
  },
};

export const corePaths: Record<string, unknown> = {
  '/v1/partners': {
    get: { summary: 'List partners (admin)', responses: { ...ok('Partners'), ...errors(401, 403) } },
    post: {
      summary: 'Create a partner and its first API key (admin); the key is shown once',
      requestBody: jsonBody({
        type: 'object',
        required: ['partner_id', 'name'],
        properties: {
          partner_id: { type: 'string' },
          name: { type: 'string' },
          allowed_origins: originList,
        },
      }),
      responses: { ...ok('Created', { type: 'object' }, '201'), ...errors(400, 401, 403, 409) },
    },
  },
  '/v1/partners/{id}': {
    get: {
      summary: 'One partner with its allowed origins (admin)',
      parameters: [pathParam('id')],
      responses: { ...ok('Partner', partnerSchema), ...errors(401, 403, 404) },
    },
    patch: {
      summary: "Replace a partner's allowed browser origins (CORS for its embed tokens; admin)",
      parameters: [pathParam('id')],
      requestBody: jsonBody({
        type: 'object',
        required: ['allowed_origins'],
        additionalProperties: false,
        properties: { allowed_origins: originList },
      }),
      responses: { ...ok('The partner as saved', partnerSchema), ...errors(400, 401, 403, 404) },
    },
  },
  '/v1/partners/{id}/api-keys': {
    post: {
      summary: 'Issue another API key (admin)',
      parameters: [pathParam('id')],
      responses: { ...ok('Created', {}, '201'), ...errors(401, 403, 404) },
    },
  },
  '/v1/wabas': {
    get: { summary: 'WABAs visible to the caller', responses: { ...ok('WABAs'), ...errors(401) } },
    post: {
      summary: 'Register a WABA (id, name, IANA time zone, currency)',
      requestBody: jsonBody({
        type: 'object',
        required: ['waba_id', 'name', 'timezone', 'currency'],
        properties: {
          waba_id: { type: 'string' },
          name: { type: 'string' },
          timezone: { type: 'string', example: 'Europe/Berlin' },
          currency: { type: 'string', example: 'EUR' },
          pmp_from: {
            type: 'string',
            format: 'date',
            description: 'Local date from which per-message pricing applies (default 2025-07-01)',
          },
          portfolio_id: {
            type: ['string', 'null'],
            description:
              'Business portfolio: volume tiers count across its WABAs per market, category and local month ' +
              "(null or absent = the WABA alone). One partner only: another partner's portfolio is 409.",
          },
        },
      }),
      responses: { ...ok('Created', {}, '201'), ...errors(400, 401, 403, 409) },
    },
  },
  '/v1/wabas/{id}': {
    get: {
      summary: 'One WABA',
      parameters: [pathParam('id')],
      responses: { ...ok('WABA'), ...errors(401, 404) },
    },
    patch: {
      summary: 'Rename a WABA or set its business portfolio (re-prices the months whose volume tiers move)',
      parameters: [pathParam('id')],
      requestBody: jsonBody({
        type: 'object',
        minProperties: 1,
        properties: {
          name: { type: 'string' },
          portfolio_id: {
            type: ['string', 'null'],
            description:
              'Business portfolio: volume tiers count across its WABAs per market, category and local month ' +
              "(null or absent = the WABA alone). One partner only: another partner's portfolio is 409.",
          },
        },
      }),
      responses: { ...ok('WABA'), ...errors(400, 401, 403, 404, 409) },
    },
  },
  '/v1/phone-numbers': {
    get: {
      summary: 'Phone numbers visible to the caller',
      parameters: [queryParam('waba_id', 'Only this WABA')],
      responses: { ...ok('Phone numbers'), ...errors(401, 404) },
    },
    post: {
      summary: 'Register a phone number under a WABA',
      requestBody: jsonBody({
        type: 'object',
        required: ['phone_number_id', 'waba_id'],
        properties: {
          phone_number_id: { type: 'string' },
          waba_id: { type: 'string' },
          display_phone_number: { type: 'string' },
          label: { type: 'string' },
        },
      }),
      responses: { ...ok('Created', {}, '201'), ...errors(400, 401, 403, 404, 409) },
    },
  },
  '/v1/phone-numbers/{id}': {
    get: {
      summary: 'One phone number',
      parameters: [pathParam('id')],
      responses: { ...ok('Phone number'), ...errors(401, 404) },
    },
    patch: {
      summary: 'Edit the label',
      parameters: [pathParam('id')],
      requestBody: jsonBody({ type: 'object', properties: { label: { type: ['string', 'null'] } } }),
      responses: { ...ok('Phone number'), ...errors(400, 401, 403, 404) },
    },
  },
};
