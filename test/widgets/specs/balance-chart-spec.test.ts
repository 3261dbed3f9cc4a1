import { describe, expect, it } from 'vitest';
import { compileVegaLite } from '../../../widgets/build/compile-templates.js';
import { balanceChartSpec } from '../../../widgets/src/specs/balance-chart-spec.js';

describe('widgets/src/specs/balance-chart-spec', () => {
  it('is a donut whose angle is the balance and whose colour is the number', () => {
    const spec = balanceChartSpec({ values: [{ label: 'Sales', value: 30 }] }) as Record<string, any>;
    expect(spec.mark).toMatchObject({ type: 'arc', innerRadius: 60 });
    expect(spec.encoding.theta).toMatchObject({ field: 'value', type: 'quantitative' });
    expect(spec.encoding.color).toMatchObject({ field: 'label', type: 'nominal', legend: null });
    expect(spec.encoding.color.scale.range).toHaveLength(8);
  });

  it('compiles with no Vega-Lite warnings', () => {
    expect(compileVegaLite(balanceChartSpec({ values: [{ label: 'a', value: 1 }] })).warnings).toEqual([]);
  });
});
