/** Routes owned by the balance area; mounted in app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';

export const balanceRoutes = new Hono<AppEnv>();
