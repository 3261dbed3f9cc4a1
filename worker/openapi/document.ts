/**
 * The OpenAPI 3.1 document served at /v1/openapi.json. Each area contributes its own `paths` module; this file
 * only merges them, so a new route documents itself beside its code.
 */
import { corePaths } from './core.js';
import { areaPaths } from './areas.js';

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Convo Insights API',
      version: '1',
      description:
        'Usage, approximate charges, forecasts, prepaid balances and widgets for WhatsApp Business numbers. ' +
        'Charges and forecasts are estimates; the invoice is authoritative. Errors are application/problem+json.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Partner API key, admin token or embed token',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            detail: { type: 'string' },
            issues: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  line: { type: 'integer' },
                  column: { type: 'string' },
                  reason: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: { ...corePaths, ...areaPaths },
  };
}
