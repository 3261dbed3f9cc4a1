/** Routes owned by the gate area; mounted in app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';

export const gateRoutes = new Hono<AppEnv>();
