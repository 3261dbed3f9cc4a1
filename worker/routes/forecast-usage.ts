/**
 * GET /v1/forecasts/usage and /v1/forecasts/charges: monthly forecasts per phone number or per WABA, with
 * intervals, a backtest error and bottom-up reconciliation (see worker/forecast/assembly/build-forecast.ts).
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { loadPhoneNumber, visiblePhoneNumbers, loadWaba } from '../auth/access.js';
import type { AppEnv } from '../app-deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { csvList, idParam } from '../http/params.js';
import { addMonths, monthDays } from '../kernel/calendar.js';
import { localMonthOf } from '../kernel/local-time.js';
import { buildForecast, type Measure } from '../forecast/assembly/build-forecast.js';
import { ALLOWANCE_RULE } from '../pricing/allowance-rule.js';
import { loadAllowanceRates } from '../pricing/allowance-rates.js';
import { paidOutsideAllowance } from '../forecast/assembly/month-totals.js';
import {
  loadMonthlyHistory,
  type MonthPoint,
  type NumberHistory,
} from '../forecast/assembly/monthly-history.js';
import { loadRateOutlook } from '../pricing/rate-outlook.js';
import { usageView } from '../ledger/usage-view.js';
import { dataThrough } from '../usage/data-feed.js';
import { defineRoute, routeApp } from './define-route.js';
import { dataThroughSchema, errors, ok, unpricedUnitsSchema } from './doc-schemas.js';
import { scope } from './guards.js';
import { loadUnpricedUnits } from '../usage/unpriced-units.js';

const query = z
  .object({
    phone_number_id: idParam.optional().meta({ description: 'Forecast one phone number (or give waba_id)' }),
    waba_id: idParam
      .optional()
      .meta({ description: 'Forecast a WABA: the sum of its visible numbers (bottom-up)' }),
    horizon: z.coerce
      .number()
      .int()
      .min(1)
      .max(24)
      .default(6)
      .meta({ description: 'Months ahead, 1..24 (default 6)' }),
    level: csvList
      .meta({
        description: 'Interval levels in percent, comma separated (default 80,95)',
        type: 'array',
        items: { type: 'integer' },
      })
      .default(['80', '95'])
      .transform((l) => l.map(Number))
      .refine((l) => l.length >= 1 && l.length <= 4, 'give 1 to 4 levels')
      .refine(
        (l) => l.every((x) => Number.isInteger(x) && x >= 50 && x <= 99),
        'levels are whole percents 50..99',
      ),
    measure: z
      .enum(['all', 'free', 'paid'])
      .default('all')
      .meta({ description: 'all | free | paid (default all); usage only, a charges forecast answers 400' }),
  })
  .refine((q) => q.phone_number_id || q.waba_id, {
    message: 'give phone_number_id or waba_id',
    path: ['waba_id'],
  });

type Query = z.output<typeof query>;

/** Each number's latest history month that passes `keep`, as a rate basis. */
function latestMonths(histories: readonly NumberHistory[], keep: (m: MonthPoint) => boolean) {
  return histories.flatMap((h) => {
    const last = h.months.filter(keep).at(-1);
    return last ? [{ phone_number_id: h.phone_number_id, month: last.period }] : [];
  });
}

async function answer(c: Context<AppEnv>, kind: 'usage' | 'charges', q: Query) {
  const p = c.var.principal;
  const { db, clock } = c.var.deps;
  if (kind === 'charges' && c.req.query('measure'))
    throw new ValidationError('measure applies to usage forecasts only.', [
      { column: 'measure', reason: 'not allowed' },
    ]);
  let wabaId: string;
  let phoneIds: string[];
  let phoneScope: string | null = null;
  if (q.phone_number_id) {
    const phone = await loadPhoneNumber(c.var.deps.money, p, q.phone_number_id);
    if (q.waba_id && phone.waba_id !== q.waba_id)
      throw new NotFoundError(`Phone number ${q.phone_number_id}`);
    wabaId = phone.waba_id;
    phoneIds = [phone.phone_number_id];
    phoneScope = phone.phone_number_id;
  } else {
    wabaId = q.waba_id!;
    phoneIds = (await visiblePhoneNumbers(c.var.deps.money, p, { wabaId })).map((r) => r.phone_number_id);
  }
  const waba = await loadWaba(c.var.deps.money, p, wabaId);
  const currentMonth = localMonthOf(clock.now(), waba.timezone);
  const { tables } = await usageView(c.var.deps, clock.now());
  const histories = await loadMonthlyHistory(db, wabaId, phoneIds, currentMonth, tables.monthly);
  const periods = Array.from({ length: q.horizon }, (_, h) => addMonths(currentMonth, h));
  // Charges forecasts price the coming months at the rates and allowances of the cards then in force.
  const months = { wabaId, currency: waba.currency, months: periods, monthly: tables.monthly };
  const rateOutlook =
    kind === 'charges'
      ? await loadRateOutlook(db, {
          ...months,
          bases: latestMonths(histories, (m) => paidOutsideAllowance(m) > 0),
          exclude: ALLOWANCE_RULE.categories,
        })
      : undefined;
  const allowanceRates =
    kind === 'charges'
      ? await loadAllowanceRates(db, {
          ...months,
          bases: latestMonths(histories, (m) => (m.allowance?.all ?? 0) > 0),
        })
      : undefined;
  const forecast = buildForecast(histories, {
    kind,
    measure: q.measure as Measure,
    horizon: q.horizon,
    levels: [...new Set(q.level)].sort((a, b) => a - b),
    currentMonth,
    currency: waba.currency,
    scope: { waba_id: wabaId, phone_number_id: phoneScope },
    rateOutlook,
    allowanceRates,
    pmpFrom: waba.pmp_from,
  });
  // The charges history leaves out paid units nothing priced: the answer says how many, over the months shown.
  const shown = (forecast.history as readonly { period: string }[]).map((m) => m.period);
  const unpriced =
    kind === 'charges'
      ? await loadUnpricedUnits(
          db,
          {
            phoneNumberIds: shown.length > 0 ? phoneIds : [],
            ...monthDays(shown[0] ?? currentMonth, shown.at(-1) ?? currentMonth),
          },
          tables,
        )
      : null;
  return c.json({
    ...forecast,
    ...(unpriced ? { unpriced_units: unpriced } : {}),
    data_through: await dataThrough(db, phoneIds, tables.feed),
  });
}

const forecastAnswer = z.object({
  scope: z.object({}),
  method: z.string(),
  horizon: z.int(),
  levels: z.array(z.int()),
  estimate: z.literal(true),
  history: z.array(
    z.object({
      period: z.string(),
      value: z.unknown(),
      unit: z
        .string()
        .optional()
        .meta({ description: "'conversation' on months converted into message-equivalents" }),
      message_equivalent: z
        .number()
        .optional()
        .meta({ description: 'value × the learned ratio (converted months only)' }),
    }),
  ),
  history_basis: z.object({}).meta({
    description:
      'What the forecast was fitted on across the per-message switch (2025-07): converted_from ' +
      "('conversation' when the earlier months were converted into message-equivalents, else null), switch_month, " +
      'ratio (messages per conversation, learned at the switch), ratio_80, months_converted, months_left_out',
  }),
  forecast: z.array(
    z.object({}).meta({
      description:
        '{ period, mean, lower_<level>, upper_<level> … }; charges also allowance_charges (the part priced by ' +
        'the per-number free allowance rule, see rule_change)',
    }),
  ),
  rule_change: z
    .object({})
    .optional()
    .meta({
      description:
        'Charges only: the rule applied to the free-allowance categories (regime, from, categories, ' +
        'free_units_per_number_and_month, first_forecast_period_charged, note): their volume is forecast apart ' +
        'and priced under the regime of each forecast month',
    }),
  backtest: z.object({ mase: z.number(), smape: z.number() }),
  reconciliation: z.object({}),
  data_through: dataThroughSchema,
  unpriced_units: unpricedUnitsSchema
    .optional()
    .meta({ description: 'Charges only: over the history months shown' }),
});

export const forecastUsageRoutes = routeApp();

defineRoute(
  forecastUsageRoutes,
  {
    method: 'get',
    path: '/usage',
    summary: 'Monthly usage forecast (estimate) for a phone number or WABA',
    middleware: [scope('read-usage')],
    request: { query },
    responses: { ...ok('Forecast', forecastAnswer), ...errors(400, 401, 403, 404) },
  },
  (c) => answer(c, 'usage', c.req.valid('query')),
);

defineRoute(
  forecastUsageRoutes,
  {
    method: 'get',
    path: '/charges',
    summary:
      'Monthly charges forecast (estimate): forecast paid units × latest effective rate, plus service priced by ' +
      'the rule of each forecast month',
    middleware: [scope('read-usage')],
    request: { query },
    responses: { ...ok('Forecast', forecastAnswer), ...errors(400, 401, 403, 404) },
  },
  (c) => answer(c, 'charges', c.req.valid('query')),
);
