/** GET /v1/usage: All / Free / Paid per period and group, from the rollups (DOMAIN.md §9.4 item 5). */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { answerUsageTable } from './usage-table.js';

export const usageRoutes = new Hono<AppEnv>().get('/', (c) => answerUsageTable(c, 'usage'));
