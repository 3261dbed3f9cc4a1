/**
 * The lazily loaded chart chunk: the Vega view runtime plus the prebuilt templates. Only pages with a chart
 * import it (through ChartController), so table- and wizard-only pages never download Vega.
 */
import { templates } from 'virtual:chart-templates';
import { View } from 'vega-view';
import { fillPalette, TABLE } from './specs/chart-palette.js';
import type { ChartName } from './specs/chart-templates.js';
import type { NumberLocaleDefinition } from './number-locale.js';

/** What a chart is drawn with besides its rows: theme colours, translated texts, the number locale. */
export interface ChartLook {
  readonly colors: Readonly<Record<string, string>>;
  readonly texts: Readonly<Record<string, string>>;
  readonly numberLocale: NumberLocaleDefinition;
}

export interface ChartHandle {
  update(rows: readonly object[]): Promise<void>;
  resize(width: number): Promise<void>;
  finalize(): void;
}

/** Draws one chart template into the container (SVG) with the rows as its `table` dataset. */
export async function drawChart(
  container: HTMLElement,
  name: ChartName,
  rows: readonly object[],
  look: ChartLook,
  width: number | null,
): Promise<ChartHandle> {
  const spec = fillPalette(templates[name], look.colors, look.texts) as ConstructorParameters<typeof View>[0];
  const view = new View(spec, {
    renderer: 'svg',
    container,
    hover: true,
    locale: { number: look.numberLocale },
    // Vega accepts a locale definition here (it builds the formatters); its typings only name the result.
  } as unknown as ConstructorParameters<typeof View>[1]);
  // A faceted chart (one panel per unit) sizes its panels through child_width, a single one through width
  // (view.signal throws for a signal the chart does not have).
  let widthSignal = 'child_width';
  try {
    view.signal(widthSignal);
  } catch {
    widthSignal = 'width';
  }
  if (width !== null) view.signal(widthSignal, width);
  view.data(TABLE, [...rows]);
  await view.runAsync();
  return {
    async update(next) {
      // New data can add or drop a panel: let the layout size the view again.
      view.data(TABLE, [...next]).resize();
      await view.runAsync();
    },
    async resize(w) {
      if (width === null) return;
      // resize(): redo the autosize layout, which otherwise only grows the view of a faceted chart.
      view.signal(widthSignal, w).resize();
      await view.runAsync();
    },
    finalize: () => view.finalize(),
  };
}
