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
};
