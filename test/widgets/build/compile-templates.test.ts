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
  it('accepts the shipped templates and rejects one that needs selections or geography', async () => {
    const { assertTemplatesAvoid } = await import('../../../widgets/build/unused-vega-modules.js');
    expect(() => assertTemplatesAvoid(compileChartTemplates().templates)).not.toThrow();
    expect(() =>
      assertTemplatesAvoid({ map: { signals: [{ update: 'vlSelectionTest("brush", datum)' }] } }),
    ).toThrow(/vlSelection/);
  });
});
