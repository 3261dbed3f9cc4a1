/**
 * GET /v1/charges: approximate charges of paid units per period, group and currency. Always an estimate
 * (DOMAIN.md §10.16): the invoice is authoritative.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { answerUsageTable } from './usage-table.js';

export const CHARGES_NOTE =
  'Approximate charges computed from the units received so far and the rate cards in force; the invoice is authoritative.';

export const chargesRoutes = new Hono<AppEnv>().get('/', (c) =>
  answerUsageTable(c, 'charges', (now) => ({
    estimate: true,
    as_of: now.toISOString(),
    note: CHARGES_NOTE,
  })),
);
