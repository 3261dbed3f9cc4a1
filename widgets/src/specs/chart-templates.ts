/** The chart templates compiled at build time: one Vega-Lite spec per chart, reading the dataset `table`. */
import type { TopLevelSpec } from 'vega-lite';
import { balanceChartSpec } from './balance-chart-spec.js';
import { chargesChartSpec } from './charges-chart-spec.js';
import { usageChartSpec } from './usage-chart-spec.js';

export const CHART_NAMES = ['usage', 'charges', 'balance'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

/** Every chart's template spec (no inline data). */
export function chartTemplateSpecs(): Record<ChartName, TopLevelSpec> {
  return { usage: usageChartSpec(), charges: chargesChartSpec(), balance: balanceChartSpec() };
}
