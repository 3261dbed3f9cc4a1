/** Routes owned by the ingest area; mounted in app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';

export const ingestRoutes = new Hono<AppEnv>();
