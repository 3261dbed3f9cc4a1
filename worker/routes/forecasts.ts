/**
 * POST /v1/forecasts — forecasts of any series for API consumers and analysts. Series come as
 * JSON (`values` or dated monthly `points`), long CSV (`series_id,t,value`) or Arrow IPC, options in the JSON body
 * or, for CSV/Arrow, in the query string. Answers one result per series with the method, the forecast rows and a
 * rolling-origin backtest; `Accept: text/csv` (or Arrow) gets the forecast rows as one long table instead.
 */
import type { RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-deps.js';
import { UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { forecastBatch, type BatchForecast } from '../forecast/forecast-batch.js';
import type { NamedSeries } from '../forecast/group-series-rows.js';
import { parseSeriesArrow } from '../forecast/parse-series-arrow.js';
import { parseSeriesJson } from '../forecast/parse-series-json.js';
import { parseSeriesCsv } from '../forecast/parse-series-csv.js';
import type { ForecastMethod } from '../forecast/types.js';
import { csvList } from '../http/params.js';
import { ARROW_STREAM, pickFormat, respondTable } from '../http/table-response.js';
import { checkInput, parseJsonBody } from '../http/validate.js';
import { defineRoute, routeApp } from './define-route.js';
import { ARROW_ANSWER, answers, CSV_ANSWER } from './doc-schemas.js';
import { scope } from './guards.js';
import { monthAtIndex } from '../kernel/calendar.js';

export const FORECAST_LIMITS = {
  series: 10_000,
  points: 10_000,
  totalPoints: 2_000_000,
  horizon: 60,
} as const;
const METHODS = ['auto', 'ets', 'theta', 'snaive', 'naive', 'naive2', 'mean', 'croston'] as const;

const levelsSchema = z
  .array(z.number().gt(0, 'levels must be above 0').lt(100, 'levels must be below 100'))
  .min(1)
  .max(5)
  .transform((l) => [...new Set(l)].sort((a, b) => a - b));
const optionsShape = {
  horizon: z.number().int().min(1).max(FORECAST_LIMITS.horizon),
  season_length: z.number().int().min(1).max(366).default(12),
  levels: levelsSchema.default([80, 95]),
  method: z.enum(METHODS).default('auto'),
};
// null stands for a non-finite number in JSON (NaN serialises as null); it is reported with its index below.
const valueSchema = z.number().nullable();
const seriesSchema = z.union([
  z.object({ id: z.string().min(1).max(200), values: z.array(valueSchema).max(FORECAST_LIMITS.points) }),
  z.object({
    id: z.string().min(1).max(200),
    points: z
      .array(
        z.object({
          period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
          value: valueSchema,
        }),
      )
      .max(FORECAST_LIMITS.points),
  }),
]);
export const forecastRequestSchema = z.object({
  series: z.array(seriesSchema).min(1).max(FORECAST_LIMITS.series),
  ...optionsShape,
});
const queryOptionsSchema = z.object({
  horizon: z.coerce.number().int().min(1).max(FORECAST_LIMITS.horizon),
  season_length: z.coerce.number().int().min(1).max(366).default(12),
  levels: csvList
    .transform((l) => l.map(Number))
    .pipe(levelsSchema)
    .optional(),
  method: z.enum(METHODS).default('auto'),
});

interface Options {
  horizon: number;
  seasonLength: number;
  levels: number[];
  method: ForecastMethod;
}

function checkSizes(series: readonly NamedSeries[]): void {
  if (series.length > FORECAST_LIMITS.series)
    throw new ValidationError(
      `At most ${FORECAST_LIMITS.series} series per request; use the forecast CLI for more.`,
    );
  let total = 0;
  for (const s of series) {
    if (s.values.length > FORECAST_LIMITS.points)
      throw new ValidationError(`Series ${s.id} has more than ${FORECAST_LIMITS.points} points.`);
    total += s.values.length;
  }
  if (total > FORECAST_LIMITS.totalPoints)
    throw new ValidationError(
      `At most ${FORECAST_LIMITS.totalPoints} points per request; use the forecast CLI for more.`,
    );
}

async function readQueryOptions(c: Context<AppEnv>): Promise<Options> {
  const q = checkInput('query', queryOptionsSchema, {
    horizon: c.req.query('horizon'),
    season_length: c.req.query('season_length') ?? undefined,
    levels: c.req.query('levels') ?? c.req.query('level') ?? undefined,
    method: c.req.query('method') ?? undefined,
  });
  return {
    horizon: q.horizon,
    seasonLength: q.season_length,
    levels: q.levels ?? [80, 95],
    method: q.method,
  };
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The options of a CSV or Arrow body, in the query string (a JSON body carries them itself). */
const option = (name: string, description: string, schema: Record<string, unknown>) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const optionParameters = [
  option('horizon', 'Steps ahead, 1..60 (CSV and Arrow bodies)', {
    type: 'integer',
    minimum: 1,
    maximum: 60,
  }),
  option('season_length', 'Season length, default 12', { type: 'integer', minimum: 1, default: 12 }),
  option('levels', 'Interval levels in percent, comma-separated, default 80,95', {
    type: 'string',
    example: '80,95',
  }),
  option('method', `${METHODS.join(', ')} (default auto)`, { type: 'string', enum: [...METHODS] }),
] as RouteConfig['parameters'];

const forecastRow = z
  .object({
    h: z.int().min(1),
    period: z
      .string()
      .optional()
      .meta({ example: '2025-01', description: 'Only for series sent as dated points' }),
    mean: z.number().nullable(),
  })
  .catchall(
    z.number().nullable().meta({ description: 'lower_<level>/upper_<level> for each requested level' }),
  );

const forecastAnswer = z.object({
  horizon: z.int(),
  season_length: z.int(),
  levels: z.array(z.number()),
  results: z.array(
    z.object({
      series_id: z.string(),
      method: z.string().meta({ example: 'combo(Theta+ETS(M,Ad,M)+Damped)' }),
      forecast: z.array(forecastRow),
      backtest: z.object({
        mase: z.number().nullable(),
        smape: z.number().nullable(),
        horizon: z.int(),
        method: z.string(),
      }),
    }),
  ),
});

export const forecastsRoutes = routeApp();

defineRoute(
  forecastsRoutes,
  {
    method: 'post',
    path: '/',
    summary: 'Forecast your own series (JSON, long CSV series_id,t,value, or Arrow IPC); scope read-usage',
    description:
      'Automatic method per series (ETS family by AICc combined with Theta and a damped trend; fallbacks for ' +
      'short, all-zero and intermittent series), prediction intervals at the requested levels and a rolling-origin ' +
      'backtest (MASE, sMAPE). Limits: 10,000 series, 10,000 points each, 2,000,000 points in all, horizon 1..60. ' +
      'Send Accept: text/csv or the Arrow stream type for one long table of forecast rows.',
    middleware: [scope('read-usage')],
    parameters: optionParameters,
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: forecastRequestSchema },
          'text/csv': { schema: z.string().meta({ example: 'series_id,t,value\na,1,10\na,2,12\n' }) },
          [ARROW_STREAM]: { schema: z.string().meta({ format: 'binary' }) },
        },
      },
    },
    responses: answers(
      'One result per series',
      { 'application/json': forecastAnswer, ...CSV_ANSWER, ...ARROW_ANSWER },
      [400, 401, 403, 406, 413, 415],
    ),
  },
  async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    let series: NamedSeries[];
    let lastMonth: (number | null)[] = [];
    let opts: Options;
    if (type === 'application/json' || type === '') {
      const input = await parseJsonBody(c, forecastRequestSchema);
      ({ series, lastMonth } = parseSeriesJson(input.series));
      opts = {
        horizon: input.horizon,
        seasonLength: input.season_length,
        levels: input.levels,
        method: input.method,
      };
    } else if (type === 'text/csv') {
      opts = await readQueryOptions(c);
      series = parseSeriesCsv(await c.req.text());
    } else if (type === ARROW_STREAM || type === 'application/vnd.apache.arrow.file') {
      opts = await readQueryOptions(c);
      series = parseSeriesArrow(new Uint8Array(await c.req.arrayBuffer()));
    } else {
      throw new UnsupportedMediaTypeError(type, ['application/json', 'text/csv', ARROW_STREAM]);
    }
    checkSizes(series);
    // Backtests refit the model per fold; big batches get one fold to keep the request bounded.
    const folds = series.length <= 100 ? 3 : 1;
    // Chunks with a yield between them, so one big request does not hold the event loop for its whole run.
    const answers: BatchForecast[] = [];
    for (let i = 0; i < series.length; i += 50) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
      answers.push(...forecastBatch(series.slice(i, i + 50), opts, folds));
    }
    const rows = answers.map((a, i) =>
      a.forecast.mean.map((mean, h) => {
        const row: Record<string, string | number | null> = { h: h + 1 };
        const lm = lastMonth[i];
        if (lm !== null && lm !== undefined) row.period = monthAtIndex(lm + h + 1);
        row.mean = finiteOrNull(mean);
        for (const iv of a.forecast.intervals) {
          row[`lower_${iv.level}`] = finiteOrNull(iv.lower[h]!);
          row[`upper_${iv.level}`] = finiteOrNull(iv.upper[h]!);
        }
        return row;
      }),
    );
    if (pickFormat(c) !== 'json') {
      const levelCols = opts.levels.flatMap((l) => [`lower_${l}`, `upper_${l}`]);
      const withPeriod = lastMonth.some((m) => m !== null);
      const names = ['series_id', 'method', 'h', ...(withPeriod ? ['period'] : []), 'mean', ...levelCols];
      const types = names.map((n) =>
        n === 'h' ? 'INTEGER' : n === 'series_id' || n === 'method' || n === 'period' ? 'VARCHAR' : 'DOUBLE',
      );
      const flat = answers.flatMap((a, i) =>
        rows[i]!.map((r) => ({ series_id: a.seriesId, method: a.forecast.method, ...r })),
      );
      return respondTable(c, { names, types, rows: flat }, { filename: 'forecasts' });
    }
    return c.json({
      horizon: opts.horizon,
      season_length: opts.seasonLength,
      levels: opts.levels,
      results: answers.map((a, i) => ({
        series_id: a.seriesId,
        method: a.forecast.method,
        forecast: rows[i],
        backtest: {
          mase: finiteOrNull(a.backtest.mase),
          smape: finiteOrNull(a.backtest.smape),
          horizon: a.backtest.horizon,
          method: a.backtest.method,
        },
      })),
    });
  },
);
