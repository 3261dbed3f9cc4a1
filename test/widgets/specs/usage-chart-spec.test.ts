import { parse, View } from 'vega';
import { describe, expect, it } from 'vitest';
import { compileVegaLite } from '../../../widgets/build/compile-templates.js';
import { usageChartSpec, type UsageDatum } from '../../../widgets/src/specs/usage-chart-spec.js';

const values: UsageDatum[] = [
  { order: 0, label: 'Jan 2025', kind: 'Free', value: 3 },
  { order: 0, label: 'Jan 2025', kind: 'Paid', value: 7 },
  { order: 1, label: 'Feb 2025', kind: 'Paid', value: 8 },
];

describe('widgets/src/specs/usage-chart-spec', () => {
  it('stacks free and paid bars per period in period order', () => {
    const spec = usageChartSpec({ values }) as Record<string, any>;
    expect(spec.mark).toMatchObject({ type: 'bar' });
    expect(spec.encoding.x).toMatchObject({
      field: 'label',
      type: 'ordinal',
      sort: { field: 'order', op: 'min' },
    });
    expect(spec.encoding.y).toMatchObject({ field: 'value', type: 'quantitative', stack: 'zero' });
    expect(spec.encoding.color.scale.domain).toEqual(['Free', 'Paid']);
    expect(spec.encoding.color.scale.range).toEqual(['@ci:free', '@ci:paid']);
    expect(spec.data).toEqual({ values });
  });

  it('reads the named dataset when no values are given (the build-time template)', () => {
    expect((usageChartSpec() as unknown as Record<string, unknown>).data).toEqual({ name: 'table' });
  });

  it('compiles with no Vega-Lite warnings and draws one bar per datum', async () => {
    const { vega, warnings } = compileVegaLite(usageChartSpec({ values }));
    expect(warnings).toEqual([]);
    const svg = await new View(parse(vega), { renderer: 'none' }).toSVG();
    // One path per bar inside the rect mark group.
    const group = svg.slice(svg.indexOf('mark-rect'));
    expect(group.slice(0, group.indexOf('</g>')).match(/<path/g)).toHaveLength(3);
  });
});
