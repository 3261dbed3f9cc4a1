import { parse, View } from 'vega';
import { describe, expect, it } from 'vitest';
import { compileVegaLite } from '../../../widgets/build/compile-templates.js';
import { englishChartTexts } from '../../../widgets/src/specs/chart-text.js';
import { usageChartSpec, type UsageDatum } from '../../../widgets/src/specs/usage-chart-spec.js';

const texts = englishChartTexts();

const jun = { label: 'Jun 2025', tip: 'Jun 2025', partial: false };
const jul = { label: 'Jul 2025', tip: 'Jul 2025 · Partial month, up to Jul 9, 2025', partial: true };
const values: UsageDatum[] = [
  { ...jun, order: 0, unit: 'Conversations', kind: 'Free', stack: 0, value: 3 },
  { ...jun, order: 0, unit: 'Conversations', kind: 'Paid', stack: 1, value: 7 },
  { ...jul, order: 1, unit: 'Conversations', kind: 'Paid', stack: 1, value: 8 },
  { ...jul, order: 1, unit: 'Messages', kind: 'Paid', stack: 1, value: 80 },
];

describe('widgets/src/specs/usage-chart-spec', () => {
  it('stacks free and paid bars per period in period order, one panel per unit with its own scale', () => {
    const spec = usageChartSpec({ values, texts }) as Record<string, any>;
    expect(spec.facet.row).toMatchObject({ field: 'unit', sort: ['Conversations', 'Messages'] });
    expect(spec.resolve).toEqual({
      scale: { x: 'independent', y: 'independent' },
      axis: { x: 'independent' },
    });
    const inner = spec.spec;
    expect(inner.mark).toMatchObject({ type: 'bar' });
    expect(inner.encoding.x).toMatchObject({
      field: 'label',
      type: 'ordinal',
      sort: { field: 'order', op: 'min' },
    });
    expect(inner.encoding.y).toMatchObject({ field: 'value', type: 'quantitative', stack: 'zero' });
    expect(inner.encoding.color.scale.domain).toEqual(['Free', 'Paid']);
    expect(inner.encoding.color.scale.range).toEqual(['@ci:free', '@ci:paid']);
    expect(spec.data).toEqual({ values });
    // The running period: lighter, dashed, and its tooltip says so.
    expect(inner.encoding.fillOpacity).toEqual({
      condition: { test: 'datum.partial', value: 0.35 },
      value: 1,
    });
    expect(inner.encoding.strokeDash.condition).toEqual({ test: 'datum.partial', value: [4, 3] });
    expect(inner.encoding.tooltip[0]).toMatchObject({ field: 'tip' });
  });

  it('reads the named dataset when no values are given (the build-time template)', () => {
    expect((usageChartSpec() as unknown as Record<string, unknown>).data).toEqual({ name: 'table' });
  });

  it('compiles with no Vega-Lite warnings and draws one bar per datum, in two panels', async () => {
    const { vega, warnings } = compileVegaLite(usageChartSpec({ values, texts }));
    expect(warnings).toEqual([]);
    const svg = await new View(parse(vega), { renderer: 'none' }).toSVG();
    // One path per bar; one rect mark group per panel.
    const groups = svg.split('mark-rect').slice(1);
    expect(groups).toHaveLength(2);
    expect(groups.map((g) => g.slice(0, g.indexOf('</g>')).match(/<path/g)?.length)).toEqual([3, 1]);
    expect(svg).toContain('Conversations');
    expect(svg).toContain('Messages');
  });
});
