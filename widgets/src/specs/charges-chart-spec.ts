/**
 * Vega-Lite spec of the charges chart: actual charges as bars (the running month lighter and outlined with a
 * dashed stroke: it is partial), the forecast mean as a dashed line over its prediction interval band. Every
 * figure is an estimate and the legend says so; the money axis names its currency.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, chartData, colorToken } from './chart-palette.js';
import { textTokens, type ChartTexts } from './chart-text.js';

export interface ChargesDatum {
  readonly order: number;
  readonly label: string;
  /** The series as translated text: the chart's `actual` or `forecast` text. */
  readonly kind: string;
  /** What the tooltip says of the row: its series, or the partial month's "Partial month, up to …". */
  readonly note: string;
  /** True for the running month's bar (charges so far). */
  readonly partial: boolean;
  /** Actual charge (bars); null on forecast rows. */
  readonly amount: number | null;
  /** Forecast mean and interval; null on actual rows (except the joining point). */
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** Builds the charges chart; without values it reads the named dataset `table`. */
export function chargesChartSpec(
  opts: { values?: readonly ChargesDatum[]; width?: number; height?: number; texts?: ChartTexts } = {},
): TopLevelSpec {
  const text = opts.texts ?? textTokens();
  const x = {
    field: 'label',
    type: 'ordinal',
    sort: { field: 'order', op: 'min' },
    title: null,
    axis: { labelAngle: 0, labelOverlap: true },
  } as const;
  const color = {
    field: 'kind',
    type: 'nominal',
    scale: { domain: [text.actual, text.forecast], range: [colorToken('actual'), colorToken('forecast')] },
    legend: { title: text.estimate, orient: 'top' },
  } as const;
  const period = { field: 'label', type: 'nominal', title: text.period } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: opts.width ?? 560,
    height: opts.height ?? 240,
    data: chartData(opts.values),
    config: chartConfig(),
    encoding: { x },
    layer: [
      {
        // Only actual rows carry an amount (the forecast rows' amount is null).
        transform: [{ filter: 'isValid(datum.amount)' }],
        mark: { type: 'bar', stroke: colorToken('actual'), strokeWidth: 1.5 },
        encoding: {
          y: { field: 'amount', type: 'quantitative', title: text.chargesAxis },
          color,
          fillOpacity: { condition: { test: 'datum.partial', value: 0.35 }, value: 1 },
          strokeDash: { condition: { test: 'datum.partial', value: [4, 3] }, value: [1, 0] },
          tooltip: [
            period,
            { field: 'note', type: 'nominal', title: text.series },
            { field: 'amount', type: 'quantitative', title: text.actual, format: ',.2f' },
          ],
        },
      },
      {
        transform: [{ filter: 'isValid(datum.lower) && isValid(datum.upper)' }],
        mark: { type: 'area', opacity: 0.2, color: colorToken('forecast') },
        encoding: { y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } },
      },
      {
        transform: [{ filter: 'isValid(datum.mean)' }],
        // One line from the last actual month on, in the forecast colour (the legend comes from the bars).
        mark: {
          type: 'line',
          strokeDash: [6, 3],
          point: { color: colorToken('forecast') },
          color: colorToken('forecast'),
        },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          tooltip: [period, { field: 'mean', type: 'quantitative', title: text.forecast, format: ',.2f' }],
        },
      },
    ],
  };
}
