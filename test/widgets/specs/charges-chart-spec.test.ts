import { describe, expect, it } from 'vitest';
import { compileVegaLite } from '../../../widgets/build/compile-templates.js';
import { chargesChartSpec, type ChargesDatum } from '../../../widgets/src/specs/charges-chart-spec.js';
import { englishChartTexts } from '../../../widgets/src/specs/chart-text.js';

const texts = englishChartTexts({ currency: 'USD' });

const values: ChargesDatum[] = [
  { order: 0, label: 'Apr', kind: 'Actual', amount: 10, mean: null, lower: null, upper: null },
  { order: 1, label: 'May', kind: 'Actual', amount: 12, mean: 12, lower: 12, upper: 12 },
  { order: 2, label: 'Jun', kind: 'Forecast', amount: null, mean: 13, lower: 11, upper: 15 },
];

describe('widgets/src/specs/charges-chart-spec', () => {
  it('layers actual bars, an interval band and a dashed forecast line', () => {
    const spec = chargesChartSpec({ values, texts }) as Record<string, any>;
    expect(spec.layer.map((l: { mark: { type: string } }) => l.mark.type)).toEqual(['bar', 'area', 'line']);
    expect(spec.layer[0].encoding.y.field).toBe('amount');
    expect(spec.layer[0].encoding.y.title).toContain('estimate');
    expect(spec.layer[1].encoding).toMatchObject({ y: { field: 'lower' }, y2: { field: 'upper' } });
    expect(spec.layer[2].mark.strokeDash).toEqual([6, 3]);
    expect(spec.layer[2].encoding.y.field).toBe('mean');
    expect(spec.encoding.x).toMatchObject({ field: 'label', sort: { field: 'order', op: 'min' } });
  });

  it('compiles with no Vega-Lite warnings', () => {
    expect(compileVegaLite(chargesChartSpec({ values, texts })).warnings).toEqual([]);
    expect(compileVegaLite(chargesChartSpec()).warnings).toEqual([]);
  });
});
