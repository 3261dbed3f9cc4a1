/**
 * Vega-Lite spec of the charges chart: actual charges as bars, the forecast mean as a dashed line over its
 * prediction interval band. Everything here is an estimate and the legend says so.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, chartData, colorToken } from './chart-palette.js';

export interface ChargesDatum {
  readonly order: number;
  readonly label: string;
  readonly kind: 'Actual' | 'Forecast';
  /** Actual charge (bars); null on forecast rows. */
  readonly amount: number | null;
  /** Forecast mean and interval; null on actual rows (except the joining point). */
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

export const CHARGE_SERIES = ['Actual', 'Forecast'] as const;

/** Builds the charges chart; without values it reads the named dataset `table`. */
export function chargesChartSpec(
  opts: { values?: readonly ChargesDatum[]; width?: number; height?: number } = {},
): TopLevelSpec {
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
    scale: { domain: [...CHARGE_SERIES], range: [colorToken('actual'), colorToken('forecast')] },
    legend: { title: 'Estimate', orient: 'top' },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: opts.width ?? 560,
    height: opts.height ?? 240,
    data: chartData(opts.values),
    config: chartConfig(),
    encoding: { x },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'Actual' && isValid(datum.amount)" }],
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'amount', type: 'quantitative', title: 'Approximate charges (estimate)' },
          color,
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
          tooltip: true,
          color: colorToken('forecast'),
        },
        encoding: { y: { field: 'mean', type: 'quantitative' } },
      },
    ],
  };
}
