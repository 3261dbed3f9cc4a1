/** Routes owned by the embed-tokens area; mounted in app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';

export const embedTokensRoutes = new Hono<AppEnv>();
