/**
 * Vega modules the compiled chart templates never reach: interactive selections, geographic projections, the
 * TopoJSON reader and d3's named colour schemes (our charts take every colour from the --ci-* properties; Vega's
 * default schemes live in vega-scale itself). Vega registers them eagerly, so tree shaking cannot drop them; the
 * build swaps each for a stub that exports the same names and throws if ever called (a stubbed scheme becomes
 * an empty list). `assertTemplatesAvoid` fails the build when a template starts to need one (a Vega-Lite
 * selection, a geoshape, a TopoJSON source or one of those schemes, say).
 */
import type { Plugin } from 'esbuild';

export const STUBBED_MODULES = [
  'vega-selections',
  'd3-geo',
  'vega-projection',
  'topojson-client',
  'd3-scale-chromatic',
] as const;

/** Expression and operator names in a runtime spec that would reach a stubbed module. */
const NEEDS_STUBBED =
  /vlSelection|vlPoint|vlInterval|geoArea|geoBounds|geoCentroid|geoShape|geoPath|"projection"|"geojson"|"graticule"|"topojson"|"scheme":"(accent|category10|dark2|observable10|paired|pastel1|pastel2|set1|set2|set3)"/i;

/** Throws when a compiled template refers to selections or geography. */
export function assertTemplatesAvoid(templates: Record<string, unknown>): void {
  for (const [name, t] of Object.entries(templates)) {
    const hit = NEEDS_STUBBED.exec(JSON.stringify(t));
    if (hit) throw new Error(`chart "${name}" uses ${hit[0]}: remove it from STUBBED_MODULES in the build`);
  }
}

/** An esbuild plugin that resolves the stubbed modules to throwing stand-ins with the same export names. */
export function stubUnusedVegaModules(): Plugin {
  return {
    name: 'stub-unused-vega-modules',
    setup(b) {
      const filter = new RegExp(`^(${STUBBED_MODULES.join('|')})$`);
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'ci-stub' }));
      b.onLoad({ filter: /.*/, namespace: 'ci-stub' }, async (args) => {
        const names = Object.keys((await import(args.path)) as object).filter((n) => n !== 'default');
        const body = names
          .map((n) => `export function ${n}() { throw new Error('${args.path}.${n} is not in this build'); }`)
          .join('\n');
        return { contents: body, loader: 'js' };
      });
    },
  };
}
