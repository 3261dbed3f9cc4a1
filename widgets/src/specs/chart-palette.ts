/**
 * Colours in chart specs are placeholders (`@ci:<name>`): templates are compiled once at build time, and the
 * chart runtime swaps each placeholder for the host's CSS custom property, so partners theme charts with CSS.
 */
export const PALETTE_PREFIX = '@ci:';

/** Placeholder name → CSS custom property and its default (all defaults pass 3:1 against white). */
export const PALETTE = {
  free: { cssVar: '--ci-color-free', fallback: '#2f7d4f' },
  paid: { cssVar: '--ci-color-paid', fallback: '#1f5fbf' },
  actual: { cssVar: '--ci-color-actual', fallback: '#1f5fbf' },
  forecast: { cssVar: '--ci-color-forecast', fallback: '#b4531f' },
  text: { cssVar: '--ci-color-text', fallback: '#1d2330' },
  background: { cssVar: '--ci-color-surface', fallback: '#ffffff' },
  grid: { cssVar: '--ci-color-grid', fallback: '#d8dde6' },
  cat0: { cssVar: '--ci-color-cat-0', fallback: '#1f5fbf' },
  cat1: { cssVar: '--ci-color-cat-1', fallback: '#b4531f' },
  cat2: { cssVar: '--ci-color-cat-2', fallback: '#2f7d4f' },
  cat3: { cssVar: '--ci-color-cat-3', fallback: '#7b3fa6' },
  cat4: { cssVar: '--ci-color-cat-4', fallback: '#a3324a' },
  cat5: { cssVar: '--ci-color-cat-5', fallback: '#0f7480' },
  cat6: { cssVar: '--ci-color-cat-6', fallback: '#6b6f1a' },
  cat7: { cssVar: '--ci-color-cat-7', fallback: '#555b66' },
} as const;

export type PaletteName = keyof typeof PALETTE;

/** The placeholder string for one palette entry. */
export function colorToken(name: PaletteName): string {
  return `${PALETTE_PREFIX}${name}`;
}

/** The shared Vega-Lite config: neutral axes, readable font sizes, no chart border. */
export function chartConfig(): Record<string, unknown> {
  return {
    // The chart sits on the card: its background, text and grid all come from the theme's custom properties.
    background: colorToken('background'),
    view: { stroke: null },
    font: 'system-ui, sans-serif',
    axis: {
      labelColor: colorToken('text'),
      titleColor: colorToken('text'),
      gridColor: colorToken('grid'),
      domainColor: colorToken('grid'),
      tickColor: colorToken('grid'),
      labelFontSize: 12,
      titleFontSize: 12,
    },
    legend: { labelColor: colorToken('text'), titleColor: colorToken('text'), labelFontSize: 12 },
  };
}

/** Inline values for tests and previews, or the named dataset that the runtime fills. */
export function chartData<T>(values: readonly T[] | undefined): { values: T[] } | { name: string } {
  return values ? { values: [...values] } : { name: TABLE };
}

/** The dataset name every chart template reads from. */
export const TABLE = 'table';

const SAFE_COLOR = /^[#a-zA-Z0-9(),.%\s-]{1,64}$/;

/** A theme colour if it is plain colour syntax, else the default (theme values end up inside Vega code). */
export function resolveColor(raw: string, fallback: string): string {
  const v = raw.trim();
  return v && SAFE_COLOR.test(v) ? v : fallback;
}

/**
 * Replaces every `@ci:<name>` colour placeholder with the resolved colour and every `@ct:<name>` text
 * placeholder with its text, wherever they sit: the compiled runtime embeds some of them inside generated
 * expression code, so this works on the serialised spec. Colours must already be checked with resolveColor
 * and texts with safeChartText (a theme value or a translation must never become expression code).
 */
export function fillPalette(
  template: object,
  colors: Readonly<Record<string, string>>,
  texts: Readonly<Record<string, string>> = {},
): object {
  const json = JSON.stringify(template).replace(
    /@c([it]):([a-zA-Z0-9]+)/g,
    (whole, kind: string, name: string) => {
      const v = kind === 'i' ? colors[name] : texts[name];
      return v === undefined ? whole : JSON.stringify(v).slice(1, -1);
    },
  );
  return JSON.parse(json) as object;
}
