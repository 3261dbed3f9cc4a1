import { describe, expect, it } from 'vitest';
import { compileChartTemplates } from '../../../widgets/build/compile-templates.js';

describe('widgets/build/compile-templates', () => {
  it('compiles every chart template to a serialisable Vega runtime spec without warnings', () => {
    const { templates, operatorTypes } = compileChartTemplates();
    expect(Object.keys(templates).sort()).toEqual(['balance', 'charges', 'usage']);
    for (const t of Object.values(templates)) expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    // The runtime registers only these transforms, so the chart chunk stays small.
    expect(operatorTypes).toContain('stack');
    expect(operatorTypes).not.toContain('geojson');
    expect(JSON.stringify(templates)).toContain('"table"');
  });
});

describe('widgets/build/unused-vega-modules', () => {
  it('accepts the shipped templates and rejects one that needs selections, geography or a d3 scheme', async () => {
    const { assertTemplatesAvoid } = await import('../../../widgets/build/unused-vega-modules.js');
    expect(() => assertTemplatesAvoid(compileChartTemplates().templates)).not.toThrow();
    expect(() =>
      assertTemplatesAvoid({ map: { signals: [{ update: 'vlSelectionTest("brush", datum)' }] } }),
    ).toThrow(/vlSelection/);
    // d3's named schemes are stubbed out of the build: a template asking for one would draw without colours.
    expect(() =>
      assertTemplatesAvoid({ bars: { scales: [{ name: 'color', range: { scheme: 'set2' } }] } }),
    ).toThrow(/set2/);
    expect(() => assertTemplatesAvoid({ map: { data: [{ format: { type: 'topojson' } }] } })).toThrow(
      /topojson/,
    );
  });
});
