/**
 * Vega-Lite spec of the usage chart: units per period, stacked free / paid, one panel per unit (conversations
 * and messages are never stacked together; each panel has its own periods and scale).
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, chartData, colorToken } from './chart-palette.js';

export type UsageUnitLabel = 'Conversations' | 'Messages';

export interface UsageDatum {
  /** Sort key: the period's position in the series. */
  readonly order: number;
  /** The period formatted for people (Intl, in the widget's locale). */
  readonly label: string;
  /** The panel: conversations (CBP) or messages (PMP). */
  readonly unit: UsageUnitLabel;
  readonly kind: 'Free' | 'Paid';
  readonly value: number;
}

export const USAGE_KINDS = ['Free', 'Paid'] as const;
export const USAGE_UNITS: readonly UsageUnitLabel[] = ['Conversations', 'Messages'];

/** Builds the usage chart; without values it reads the named dataset `table` (the build-time template). */
export function usageChartSpec(
  opts: { values?: readonly UsageDatum[]; width?: number; height?: number } = {},
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: chartData(opts.values),
    config: chartConfig(),
    facet: {
      row: {
        field: 'unit',
        type: 'nominal',
        sort: [...USAGE_UNITS],
        title: null,
        header: {
          labelOrient: 'top',
          labelAngle: 0,
          labelAnchor: 'start',
          labelColor: colorToken('text'),
          labelFontSize: 12,
        },
      },
    },
    // Each panel has its own periods (a unit exists only on its side of the switch) and its own scale.
    resolve: { scale: { x: 'independent', y: 'independent' }, axis: { x: 'independent' } },
    spec: {
      width: opts.width ?? 560,
      height: opts.height ?? 200,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: {
          field: 'label',
          type: 'ordinal',
          sort: { field: 'order', op: 'min' },
          title: null,
          axis: { labelAngle: 0, labelOverlap: true },
        },
        y: { field: 'value', type: 'quantitative', stack: 'zero', title: null },
        color: {
          field: 'kind',
          type: 'nominal',
          scale: { domain: [...USAGE_KINDS], range: [colorToken('free'), colorToken('paid')] },
          legend: { title: null, orient: 'top' },
        },
        order: { field: 'kind', sort: 'ascending' },
      },
    },
  };
}
