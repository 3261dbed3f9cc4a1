/** Routes owned by the forecast-usage area; mounted in app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';

export const forecastUsageRoutes = new Hono<AppEnv>();
