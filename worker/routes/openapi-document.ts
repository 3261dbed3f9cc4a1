/**
 * The OpenAPI 3.1 document served at /v1/openapi.json, generated from the route definitions of the tree (each
 * route registers its own schemas in defineRoute); this file adds only what is global to the API.
 */
import type { RouteApp } from './define-route.js';
import { problemSchema } from './doc-schemas.js';

export function openApiDocument(api: RouteApp): Record<string, unknown> {
  const registry = api.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'Partner API key, admin token or embed token',
  });
  registry.register('Problem', problemSchema);
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Convo Insights API',
      version: '1',
      description:
        'Usage, approximate charges, forecasts, prepaid balances and widgets for WhatsApp Business numbers. ' +
        'Charges and forecasts are estimates; the invoice is authoritative. Errors are application/problem+json.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
  }) as unknown as Record<string, unknown>;
}
