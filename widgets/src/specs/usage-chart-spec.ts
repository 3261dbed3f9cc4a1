/** Vega-Lite spec of the usage chart: billable units per period, stacked free / paid. */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, chartData, colorToken } from './chart-palette.js';

export interface UsageDatum {
  /** Sort key: the period's position in the series. */
  readonly order: number;
  /** The period formatted for people (Intl, in the widget's locale). */
  readonly label: string;
  readonly kind: 'Free' | 'Paid';
  readonly value: number;
}

export const USAGE_KINDS = ['Free', 'Paid'] as const;

/** Builds the usage chart; without values it reads the named dataset `table` (the build-time template). */
export function usageChartSpec(
  opts: { values?: readonly UsageDatum[]; width?: number; height?: number } = {},
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: opts.width ?? 560,
    height: opts.height ?? 240,
    data: chartData(opts.values),
    config: chartConfig(),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: {
        field: 'label',
        type: 'ordinal',
        sort: { field: 'order', op: 'min' },
        title: null,
        axis: { labelAngle: 0, labelOverlap: true },
      },
      y: { field: 'value', type: 'quantitative', stack: 'zero', title: 'Billable units' },
      color: {
        field: 'kind',
        type: 'nominal',
        scale: { domain: [...USAGE_KINDS], range: [colorToken('free'), colorToken('paid')] },
        legend: { title: null, orient: 'top' },
      },
      order: { field: 'kind', sort: 'ascending' },
    },
  };
}
