/** Routes owned by the pricing area; mounted in app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';

export const pricingRoutes = new Hono<AppEnv>();
