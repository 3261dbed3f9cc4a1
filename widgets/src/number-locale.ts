/**
 * A d3/Vega number-format locale built from Intl, so chart axes and tooltips group and separate digits the way
 * the widget's locale does (1.234,5 in de-DE, 12,34,567 in hi-IN) without shipping locale tables.
 */
export interface NumberLocaleDefinition {
  readonly decimal: string;
  readonly thousands: string;
  readonly grouping: number[];
  readonly currency: [string, string];
  readonly minus: string;
  readonly numerals?: string[];
}

/** The definition for `locale`; `currency` sets the symbol placed by a `$` format. */
export function numberLocale(locale: string | undefined, currency = 'USD'): NumberLocaleDefinition {
  const nf = new Intl.NumberFormat(locale, { useGrouping: true, maximumFractionDigits: 1 });
  const parts = nf.formatToParts(-123456789.5);
  const value = (type: Intl.NumberFormatPartTypes, fallback: string) =>
    parts.find((p) => p.type === type)?.value ?? fallback;
  // Group sizes from the right: en 123,456,789 → [3, 3, 3] → [3]; hi 12,34,56,789 → [3, 2, 2, 2] → [3, 2].
  const sizes = parts
    .filter((p) => p.type === 'integer')
    .map((p) => p.value.length)
    .reverse();
  const grouping = sizes.length > 2 && sizes[1] !== sizes[0] ? [sizes[0]!, sizes[1]!] : [sizes[0] ?? 3];
  const digits = new Intl.NumberFormat(locale, { useGrouping: false }).format(1234567890);
  const numerals = digits === '1234567890' ? undefined : [...'0123456789'].map((d) => digits[(+d + 9) % 10]!);
  return {
    decimal: value('decimal', '.'),
    thousands: value('group', ','),
    grouping,
    currency: currencyAffixes(locale, currency),
    minus: value('minusSign', '-'),
    ...(numerals ? { numerals } : {}),
  };
}

function currencyAffixes(locale: string | undefined, currency: string): [string, string] {
  try {
    const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(1);
    const i = parts.findIndex((p) => p.type === 'integer');
    const text = (ps: Intl.NumberFormatPart[]) =>
      ps
        .filter((p) => p.type === 'currency' || p.type === 'literal')
        .map((p) => p.value)
        .join('');
    const j = parts.findLastIndex((p) => p.type === 'integer' || p.type === 'fraction');
    return [text(parts.slice(0, i)), text(parts.slice(j + 1))];
  } catch {
    return ['', ` ${currency}`];
  }
}
