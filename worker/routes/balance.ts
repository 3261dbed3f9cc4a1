/** Routes owned by the balance area; mounted in app.ts at /v1. */
import { Hono } from 'hono';
import { accountStartRoutes } from '../balance/account-start-routes.js';
import { ledgerRoutes } from '../balance/balance-routes.js';
import type { AppEnv } from '../env.js';
import { alertRoutes } from '../funding/alert-routes.js';
import { fundsRoutes } from '../funding/funds-routes.js';
import { paymentWebhookRoutes } from '../funding/payment-webhook.js';

export const balanceRoutes = new Hono<AppEnv>()
  .route('/', ledgerRoutes)
  .route('/', accountStartRoutes)
  .route('/', fundsRoutes)
  .route('/', alertRoutes)
  .route('/', paymentWebhookRoutes);
