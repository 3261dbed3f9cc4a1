/** GET /v1/phone-numbers/{id}/runway (read-only): when the balance runs out, without and with auto-renewal. */
import { z } from 'zod';
import { pathPhone } from './path-phone.js';
import { usageView } from '../../ledger/usage-view.js';
import { isRunwayShort } from '../../runway/runway-alert.js';
import { computeRunway } from '../../runway/runway.js';
import { dataThrough } from '../../usage/data-feed.js';
import { defineRoute, routeApp } from '../define-route.js';
import { dataThroughSchema, errors, ok, phoneIdPath } from '../doc-schemas.js';
import { scope } from '../guards.js';

const query = z.object({
  horizon_days: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(90)
    .meta({ description: 'Days to simulate (1–365, default 90)' }),
});

const runOut = z
  .object({
    p10: z.iso.date().nullable(),
    p50: z.iso.date().nullable(),
    p90: z.iso.date().nullable(),
    probability: z.number().meta({ description: 'Share of sample paths that run out within the horizon' }),
  })
  .meta({ description: 'Day the settled balance reaches zero; null = not within the horizon.' });

const runwayAnswer = z.object({
  phone_number_id: z.string(),
  currency: z.string(),
  balance: z.string().meta({ example: '95.000000' }),
  as_of: z.iso.datetime(),
  data_through: dataThroughSchema,
  estimate: z.boolean(),
  horizon_days: z.int(),
  method: z.string(),
  seasonality: z.object({}),
  runs_out: z.object({ without_renewal: runOut, with_renewal: runOut.nullable() }),
  renewal_simulated: z.object({}).nullable(),
  daily_spend_history: z.array(z.object({})),
  daily_spend_forecast: z.array(
    z.object({ day: z.iso.date(), mean: z.string(), lower_80: z.string(), upper_80: z.string() }),
  ),
  recommended: z
    .object({
      threshold: z.string(),
      amount: z.string(),
      usage: z.enum(['stable', 'fluctuating']),
      daily_average: z.string(),
      weekly_variation: z.number().nullable(),
    })
    .nullable(),
  runway_short: z.boolean(),
  spend_through: z.iso.date().nullable().meta({
    description:
      "The number's last local day with usage data; later days are forecast, not read as zero spend",
  }),
  stale: z.boolean().meta({ description: 'The feed is two or more complete days behind' }),
  unseen_days: z.int().meta({ description: 'Complete days between spend_through and today' }),
  unseen_spend: z.object({}).nullable().meta({
    description:
      'Forecast spend of the unseen days (mean, Σ of the daily 80 % bounds): it comes off the balance first',
  }),
});

export const runwayRoutes = routeApp();

defineRoute(
  runwayRoutes,
  {
    method: 'get',
    path: '/runway',
    summary: 'When the balance runs out (P10/P50/P90), without and with auto-renewal; recommended settings',
    middleware: [scope('read-balance')],
    request: { params: phoneIdPath, query },
    responses: { ...ok('Runway', runwayAnswer), ...errors(400, 401, 403, 404) },
  },
  async (c) => {
    const { db, money, clock, config } = c.var.deps;
    const phone = await pathPhone(c);
    const now = clock.now();
    // The usage this replica answers with: the published rollups on a replica that is not the usage source.
    const { tables } = await usageView(c.var.deps, now);
    const runway = await computeRunway(
      { analytics: db, money },
      {
        phoneNumberId: phone.phone_number_id,
        timezone: phone.timezone,
        currency: phone.currency,
        horizonDays: c.req.valid('query').horizon_days,
        now,
        settlementDelayMs: config.settlementDelayMs,
        rollups: tables,
      },
    );
    // A read writes nothing: the runway_short alert is raised by the runway job (startup.ts), not here.
    return c.json({
      ...runway,
      runway_short: isRunwayShort(runway),
      data_through: await dataThrough(db, [phone.phone_number_id], tables.feed),
    });
  },
);
