/** Vega-Lite spec of the balance breakdown: a donut of each number's share of its currency's positive total. */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, chartData, colorToken, type PaletteName } from './chart-palette.js';
import { textTokens, type ChartTexts } from './chart-text.js';

export interface BalanceDatum {
  /** The number's label or display number; unique per chart. */
  readonly label: string;
  /** Balance clamped at zero (a negative balance holds no share of the donut). */
  readonly value: number;
}

const CATEGORY: readonly PaletteName[] = ['cat0', 'cat1', 'cat2', 'cat3', 'cat4', 'cat5', 'cat6', 'cat7'];

/** Builds the donut; without values it reads the named dataset `table`. */
export function balanceChartSpec(
  opts: { values?: readonly BalanceDatum[]; width?: number; height?: number; texts?: ChartTexts } = {},
): TopLevelSpec {
  const text = opts.texts ?? textTokens();
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: opts.width ?? 220,
    height: opts.height ?? 220,
    data: chartData(opts.values),
    config: chartConfig(),
    mark: { type: 'arc', innerRadius: 60, stroke: colorToken('background'), strokeWidth: 1 },
    encoding: {
      theta: { field: 'value', type: 'quantitative', stack: true },
      color: {
        field: 'label',
        type: 'nominal',
        sort: null,
        scale: { range: CATEGORY.map(colorToken) },
        legend: null,
      },
      tooltip: [
        { field: 'label', type: 'nominal', title: text.number },
        { field: 'value', type: 'quantitative', title: text.balance, format: ',.2f' },
      ],
    },
  };
}
