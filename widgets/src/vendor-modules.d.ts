/** Types for modules that exist only at build time or ship without their own declarations. */
declare module 'virtual:chart-templates' {
  /** Vega runtime dataflow specs, compiled from the Vega-Lite templates by widgets/build. */
  export const templates: Record<'usage' | 'charges' | 'balance', object>;
}

declare module 'vega-view' {
  export { View } from 'vega';
}
