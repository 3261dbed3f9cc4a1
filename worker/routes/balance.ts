/** Routes owned by the balance area; mounted in app.ts at /v1. */
import { Hono } from 'hono';
import { accountStartRoutes } from './phone-numbers/account-start.js';
import { ledgerRoutes } from './phone-numbers/balance.js';
import type { AppEnv } from '../env.js';
import { alertRoutes } from './alerts.js';
import { fundsRoutes } from './phone-numbers/funds.js';
import { paymentWebhookRoutes } from './payment-webhook.js';

export const balanceRoutes = new Hono<AppEnv>()
  .route('/', ledgerRoutes)
  .route('/', accountStartRoutes)
  .route('/', fundsRoutes)
  .route('/', alertRoutes)
  .route('/', paymentWebhookRoutes);
