/**
 * The one route tree of the API: every endpoint under /v1, each area in its own file of this folder, and
 * everything about one phone number under phone-numbers/. The OpenAPI document is generated from this tree.
 */
import { alertRoutes } from './alerts.js';
import { balancesRoutes } from './balances.js';
import { chargesRoutes } from './charges.js';
import { routeApp, type RouteApp } from './define-route.js';
import { embedTokensRoutes } from './embed-tokens.js';
import { exportRoutes } from './exports.js';
import { forecastUsageRoutes } from './forecast-usage.js';
import { forecastsRoutes } from './forecasts.js';
import { ingestRoutes } from './ingest.js';
import { intakeRoutes } from './intake.js';
import { reconciliationRoutes } from './reconciliation.js';
import { originCheckRoutes } from './origin-check.js';
import { partnerRoutes } from './partners.js';
import { paymentMethodRoutes } from './payment-methods.js';
import { paymentWebhookRoutes } from './payment-webhook.js';
import { phoneNumberRoutes } from './phone-numbers/index.js';
import { pricingRoutes } from './pricing.js';
import { queryRoutes } from './query.js';
import { addServiceRoutes } from './service.js';
import { usageRoutes } from './usage.js';
import { wabaRoutes } from './wabas.js';

export function apiRoutes(): RouteApp {
  const api = routeApp();
  addServiceRoutes(api);
  return api
    .route('/v1/partners', partnerRoutes)
    .route('/v1/wabas', wabaRoutes)
    .route('/v1/phone-numbers', phoneNumberRoutes)
    .route('/v1/balances', balancesRoutes)
    .route('/v1/payment-methods', paymentMethodRoutes)
    .route('/v1', alertRoutes)
    .route('/v1/payments/webhook', paymentWebhookRoutes)
    .route('/v1/ingest', ingestRoutes)
    .route('/v1/intake', intakeRoutes)
    .route('/v1/usage', usageRoutes)
    .route('/v1/charges', chargesRoutes)
    .route('/v1/reconciliation', reconciliationRoutes)
    .route('/v1', pricingRoutes)
    .route('/v1/forecasts', forecastUsageRoutes)
    .route('/v1/forecasts', forecastsRoutes)
    .route('/v1/embed-tokens/origin-check', originCheckRoutes)
    .route('/v1/embed-tokens', embedTokensRoutes)
    .route('/v1/exports', exportRoutes)
    .route('/v1/query', queryRoutes);
}
