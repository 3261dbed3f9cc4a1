/** Routes owned by the usage area; mounted in app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';

export const usageRoutes = new Hono<AppEnv>();
