/**
 * Build-time compilation: Vega-Lite → Vega → Vega's runtime dataflow, so the browser needs neither the
 * Vega-Lite compiler nor the Vega parser. Any Vega-Lite warning fails the build.
 */
import { parse, type Spec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { chartTemplateSpecs, type ChartName } from '../src/specs/chart-templates.js';

/** Compiles one Vega-Lite spec to Vega, collecting warnings instead of printing them. */
export function compileVegaLite(spec: TopLevelSpec): { vega: Spec; warnings: string[] } {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...m: unknown[]) => {
      throw new Error(m.map(String).join(' '));
    },
    warn: (...m: unknown[]) => {
      warnings.push(m.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const { spec: vega } = compile(spec, { logger: logger as never });
  return { vega, warnings };
}

export interface CompiledTemplates {
  /** Runtime dataflow spec per chart (JSON). */
  readonly templates: Record<ChartName, unknown>;
  /** Operator types the templates use, so the runtime registers only those transforms. */
  readonly operatorTypes: string[];
}

/** Compiles every chart template; throws on any Vega-Lite warning. */
export function compileChartTemplates(): CompiledTemplates {
  const templates = {} as Record<ChartName, unknown>;
  const types = new Set<string>();
  for (const [name, spec] of Object.entries(chartTemplateSpecs()) as [ChartName, TopLevelSpec][]) {
    const { vega, warnings } = compileVegaLite(spec);
    if (warnings.length > 0) throw new Error(`chart "${name}": ${warnings.join('; ')}`);
    const runtime = JSON.parse(JSON.stringify(parse(vega))) as unknown;
    collectOperatorTypes(runtime, types);
    templates[name] = runtime;
  }
  return { templates, operatorTypes: [...types].sort() };
}

function collectOperatorTypes(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectOperatorTypes(n, into);
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.operators)) {
      for (const op of o.operators as { type?: unknown }[]) {
        if (typeof op.type === 'string') into.add(op.type.toLowerCase());
      }
    }
    for (const v of Object.values(o)) collectOperatorTypes(v, into);
  }
}
