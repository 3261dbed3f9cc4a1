/**
 * GET /v1/forecasts/usage and /v1/forecasts/charges: monthly forecasts per phone number or per WABA, with
 * intervals, a backtest error and bottom-up reconciliation (see worker/forecast/assembly/build-forecast.ts).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { loadPhoneNumber, requireScope, visiblePhoneNumbers, loadWaba } from '../auth/access.js';
import type { AppEnv } from '../env.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { csvList, idParam } from '../http/params.js';
import { validate } from '../http/validate.js';
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
import { dataThrough } from '../usage/data-feed.js';
import { loadUnpricedUnits } from '../usage/unpriced-units.js';

const query = z
  .object({
    phone_number_id: idParam.optional(),
    waba_id: idParam.optional(),
    horizon: z.coerce.number().int().min(1).max(24).default(6),
    level: csvList
      .default(['80', '95'])
      .transform((l) => l.map(Number))
      .refine((l) => l.length >= 1 && l.length <= 4, 'give 1 to 4 levels')
      .refine(
        (l) => l.every((x) => Number.isInteger(x) && x >= 50 && x <= 99),
        'levels are whole percents 50..99',
      ),
    measure: z.enum(['all', 'free', 'paid']).default('all'),
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
  requireScope(p, 'read-usage');
  const { db, clock } = c.var.deps;
  if (kind === 'charges' && c.req.query('measure'))
    throw new ValidationError('measure applies to usage forecasts only.', [
      { column: 'measure', reason: 'not allowed' },
    ]);
  let wabaId: string;
  let phoneIds: string[];
  let phoneScope: string | null = null;
  if (q.phone_number_id) {
    const phone = await loadPhoneNumber(db, p, q.phone_number_id);
    if (q.waba_id && phone.waba_id !== q.waba_id)
      throw new NotFoundError(`Phone number ${q.phone_number_id}`);
    wabaId = phone.waba_id;
    phoneIds = [phone.phone_number_id];
    phoneScope = phone.phone_number_id;
  } else {
    wabaId = q.waba_id!;
    phoneIds = (await visiblePhoneNumbers(db, p, { wabaId })).map((r) => r.phone_number_id);
  }
  const waba = await loadWaba(db, p, wabaId);
  const currentMonth = localMonthOf(clock.now(), waba.timezone);
  const histories = await loadMonthlyHistory(db, wabaId, phoneIds, currentMonth);
  const periods = Array.from({ length: q.horizon }, (_, h) => addMonths(currentMonth, h));

  const rateOutlook =
    kind === 'charges'
      ? await loadRateOutlook(db, {
          wabaId,
          currency: waba.currency,
          months: periods,
          bases: latestMonths(histories, (m) => paidOutsideAllowance(m) > 0),
          exclude: ALLOWANCE_RULE.categories,
        })
      : undefined;
  const allowanceRates =
    kind === 'charges'
      ? await loadAllowanceRates(db, {
          wabaId,
          currency: waba.currency,
          months: periods,
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
      ? await loadUnpricedUnits(db, {
          phoneNumberIds: shown.length > 0 ? phoneIds : [],
          ...monthDays(shown[0] ?? currentMonth, shown.at(-1) ?? currentMonth),
        })
      : null;
  return c.json({
    ...forecast,
    ...(unpriced ? { unpriced_units: unpriced } : {}),
    data_through: await dataThrough(db, phoneIds),
  });
}

export const forecastUsageRoutes = new Hono<AppEnv>()
  .get('/usage', validate('query', query), (c) => answer(c, 'usage', c.req.valid('query')))
  .get('/charges', validate('query', query), (c) => answer(c, 'charges', c.req.valid('query')));
