/** Routes owned by the forecasts area; mounted in app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';

export const forecastsRoutes = new Hono<AppEnv>();
