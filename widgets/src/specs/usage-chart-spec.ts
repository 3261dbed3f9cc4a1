/**
 * Vega-Lite spec of the usage chart: units per period, stacked free / paid, one panel per unit (conversations
 * and messages are never stacked together; each panel has its own periods and scale). The period still running
 * is lighter with a dashed outline: it is partial, not a drop.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, chartData, colorToken } from './chart-palette.js';
import { textTokens, type ChartTexts } from './chart-text.js';

export interface UsageDatum {
  /** Sort key: the period's position in the series. */
  readonly order: number;
  /** The period formatted for people (Intl, in the widget's locale). */
  readonly label: string;
  /** The tooltip's period: the label, plus "Partial month, up to …" on the running period. */
  readonly tip: string;
  /** True on the period still running. */
  readonly partial: boolean;
  /** The panel, as translated text: the chart's `conversations` (CBP) or `messages` (PMP) text. */
  readonly unit: string;
  /** The series, as translated text: the chart's `free` or `paid` text. */
  readonly kind: string;
  /** 0 for free, 1 for paid: the stacking order whatever the words sort as. */
  readonly stack: number;
  readonly value: number;
}

/** Builds the usage chart; without values it reads the named dataset `table` (the build-time template). */
export function usageChartSpec(
  opts: { values?: readonly UsageDatum[]; width?: number; height?: number; texts?: ChartTexts } = {},
): TopLevelSpec {
  const text = opts.texts ?? textTokens();
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: chartData(opts.values),
    config: chartConfig(),
    facet: {
      row: {
        field: 'unit',
        type: 'nominal',
        sort: [text.conversations, text.messages],
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
      mark: { type: 'bar', strokeWidth: 1.5 },
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
          scale: { domain: [text.free, text.paid], range: [colorToken('free'), colorToken('paid')] },
          legend: { title: null, orient: 'top' },
        },
        // The outline takes each series' colour, so only the dashes of the running period show against it.
        stroke: {
          field: 'kind',
          type: 'nominal',
          scale: { domain: [text.free, text.paid], range: [colorToken('free'), colorToken('paid')] },
          // Same field and title as the colour: Vega-Lite merges the two into the one legend.
          legend: { title: null, orient: 'top' },
        },
        fillOpacity: { condition: { test: 'datum.partial', value: 0.35 }, value: 1 },
        strokeDash: { condition: { test: 'datum.partial', value: [4, 3] }, value: [1, 0] },
        order: { field: 'stack', sort: 'ascending' },
        tooltip: [
          { field: 'tip', type: 'nominal', title: text.period },
          { field: 'kind', type: 'nominal', title: text.series },
          { field: 'value', type: 'quantitative', title: text.value, format: ',' },
        ],
      },
    },
  };
}
