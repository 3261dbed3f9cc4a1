/**
 * Words in chart specs are placeholders (`@ct:<name>`), like colours: the templates are compiled once at build
 * time and the chart runtime swaps each placeholder for the widget's translated text. Series names are data
 * values too (a legend shows them), so rows carry the same translated text as the placeholders they match.
 */
import type { Translate } from '../catalogue.js';
import { MESSAGES, type MessageKey } from '../messages.js';

export const TEXT_PREFIX = '@ct:';

/** Placeholder name → catalogue key. */
export const CHART_TEXT_KEYS = {
  free: 'modeFree',
  paid: 'modePaid',
  conversations: 'panelConversations',
  messages: 'panelMessages',
  actual: 'seriesActual',
  forecast: 'seriesForecast',
  estimate: 'estimate',
  chargesAxis: 'chargesAxis',
  partial: 'partialMonth',
  period: 'colPeriod',
  series: 'colSeries',
  value: 'colValue',
  number: 'colNumber',
  balance: 'colBalance',
} as const satisfies Record<string, MessageKey>;

export type ChartTextName = keyof typeof CHART_TEXT_KEYS;
export type ChartTexts = Readonly<Record<ChartTextName, string>>;

const NAMES = Object.keys(CHART_TEXT_KEYS) as ChartTextName[];

/** The placeholders themselves: what the build-time templates contain. */
export function textTokens(): ChartTexts {
  return Object.fromEntries(NAMES.map((n) => [n, `${TEXT_PREFIX}${n}`])) as Record<ChartTextName, string>;
}

/**
 * Chart text safe to place anywhere in a compiled spec: the runtime embeds some labels in expression code, so
 * quotes, backslashes and control characters never pass (an apostrophe becomes ’, as typography wants anyway).
 */
export function safeChartText(s: string): string {
  const kept = [...s.replace(/'/g, '’').replace(/@c[it]:/g, '')].filter(
    (ch) => ch.charCodeAt(0) >= 0x20 && !'"\\`'.includes(ch),
  );
  return kept.join('');
}

/** Every chart text in the translator's language; `params` fills slots such as {currency}. */
export function chartTexts(t: Translate, params: Readonly<Record<string, string>> = {}): ChartTexts {
  return Object.fromEntries(NAMES.map((n) => [n, safeChartText(t(CHART_TEXT_KEYS[n], params))])) as Record<
    ChartTextName,
    string
  >;
}

/** English chart texts, for previews and tests that draw a spec with inline values. */
export function englishChartTexts(params: Readonly<Record<string, string>> = {}): ChartTexts {
  return Object.fromEntries(
    NAMES.map((n) => [
      n,
      MESSAGES[CHART_TEXT_KEYS[n]].replace(/\{(\w+)\}/g, (w, k: string) => params[k] ?? w),
    ]),
  ) as Record<ChartTextName, string>;
}
