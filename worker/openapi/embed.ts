/** Paths of the embed area: minting short-lived widget tokens. */
import { errors, jsonBody, ok } from './helpers.js';

export const embedPaths: Record<string, unknown> = {
  '/v1/embed-tokens': {
    post: {
      summary: 'Mint a short-lived embed token for widgets (partner API key only)',
      requestBody: jsonBody({
        type: 'object',
        required: ['phone_number_ids', 'scopes'],
        properties: {
          phone_number_ids: {
            type: 'array',
            items: { type: 'string' },
            description: "The partner's own phone numbers the token may read or fund",
          },
          scopes: {
            type: 'array',
            items: { type: 'string', enum: ['read-usage', 'read-balance', 'add-funds'] },
          },
          ttl_seconds: { type: 'integer', minimum: 1, maximum: 3600, default: 900 },
        },
      }),
      responses: {
        ...ok(
          'Token minted',
          {
            type: 'object',
            properties: {
              token: { type: 'string', example: 'et_eyJ…' },
              expires_at: { type: 'string', format: 'date-time' },
              phone_number_ids: { type: 'array', items: { type: 'string' } },
              scopes: { type: 'array', items: { type: 'string' } },
            },
          },
          '201',
        ),
        ...errors(400, 401, 403, 404),
      },
    },
  },
  '/v1/embed-tokens/origin-check': {
    post: {
      summary: 'Why a widget cannot read the API from its page (no token header, no preflight)',
      description:
        'The body is the embed token as text/plain, so browsers send it without a CORS preflight, and the ' +
        'answer carries Access-Control-Allow-Origin: *. Widgets call it after a fetch failed, to tell a ' +
        "refused origin from an expired token or an unreachable service. Says whether the token's partner " +
        'allows the Origin the browser sent.',
      security: [],
      requestBody: {
        required: true,
        content: { 'text/plain': { schema: { type: 'string', example: 'et_eyJ…' } } },
      },
      responses: ok('The verdict', {
        type: 'object',
        properties: {
          origin: { type: 'string', nullable: true },
          origin_allowed: { type: 'boolean' },
          token: { type: 'string', enum: ['valid', 'expired', 'invalid'] },
        },
      }),
    },
  },
};
