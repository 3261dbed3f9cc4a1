import { describe, expect, it } from 'vitest';
import { compileVegaLite } from '../../../widgets/build/compile-templates.js';
import { chargesChartSpec, type ChargesDatum } from '../../../widgets/src/specs/charges-chart-spec.js';
import { englishChartTexts } from '../../../widgets/src/specs/chart-text.js';

const texts = englishChartTexts({ currency: 'USD' });

const row = { note: '', partial: false, mean: null, lower: null, upper: null };
const values: ChargesDatum[] = [
  { ...row, order: 0, label: 'Apr', kind: 'Actual', note: 'Actual', amount: 10 },
  {
    ...row,
    order: 1,
    label: 'May',
    kind: 'Actual',
    note: 'Actual',
    amount: 12,
    mean: 12,
    lower: 12,
    upper: 12,
  },
  {
    ...row,
    order: 2,
    label: 'Jun',
    kind: 'Actual',
    note: 'Partial month, up to Jun 9',
    partial: true,
    amount: 4,
  },
  {
    ...row,
    order: 2,
    label: 'Jun',
    kind: 'Forecast',
    note: 'Forecast',
    amount: null,
    mean: 13,
    lower: 11,
    upper: 15,
  },
];

describe('widgets/src/specs/charges-chart-spec', () => {
  it('layers actual bars, an interval band and a dashed forecast line', () => {
    const spec = chargesChartSpec({ values, texts }) as Record<string, any>;
    expect(spec.layer.map((l: { mark: { type: string } }) => l.mark.type)).toEqual(['bar', 'area', 'line']);
    expect(spec.layer[0].encoding.y.field).toBe('amount');
    expect(spec.layer[0].encoding.y.title).toBe('Charges (USD, estimate)');
    expect(spec.layer[1].encoding).toMatchObject({ y: { field: 'lower' }, y2: { field: 'upper' } });
    expect(spec.layer[2].mark.strokeDash).toEqual([6, 3]);
    expect(spec.layer[2].encoding.y.field).toBe('mean');
    expect(spec.encoding.x).toMatchObject({ field: 'label', sort: { field: 'order', op: 'min' } });
  });

  it('draws the partial month lighter with a dashed outline, and says so in the tooltip', () => {
    const bar = (chargesChartSpec({ values, texts }) as Record<string, any>).layer[0];
    expect(bar.encoding.fillOpacity).toEqual({ condition: { test: 'datum.partial', value: 0.35 }, value: 1 });
    expect(bar.encoding.strokeDash.condition).toEqual({ test: 'datum.partial', value: [4, 3] });
    expect(bar.encoding.tooltip.map((f: { field: string }) => f.field)).toEqual(['label', 'note', 'amount']);
    // The compiled bars carry the condition (the template the browser draws).
    const compiled = JSON.stringify(compileVegaLite(chargesChartSpec()).vega);
    expect(compiled).toContain('datum.partial');
  });

  it('compiles with no Vega-Lite warnings', () => {
    expect(compileVegaLite(chargesChartSpec({ values, texts })).warnings).toEqual([]);
    expect(compileVegaLite(chargesChartSpec()).warnings).toEqual([]);
  });
});
