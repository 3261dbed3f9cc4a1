/**
 * Money typed the way people write it in their locale: "50,00" in de-DE and "50.00" in en-US are both 50.00,
 * "1.000,5" in de-DE is 1000.50. Group separators count only where the locale itself would put them, and a
 * separator that could be read either way ("50.00" in de-DE, "1,000" in fr-FR) is refused rather than guessed:
 * an amount of money is never silently ten or a thousand times what was meant.
 */
import { fromMicros, minorDigits, toMicros } from '../../../worker/kernel/money.js';

export type AmountProblem = 'empty' | 'invalid' | 'ambiguous' | 'precision' | 'zero';

export type ParsedAmount =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: AmountProblem };

interface Separators {
  readonly decimal: string;
  readonly group: string;
}

/** The locale's decimal and group separators (spaces of any width count as one group separator). */
export function separatorsOf(locale: string | undefined): Separators {
  const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(12345.6);
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  return { decimal, group: /\s/.test(group) ? ' ' : group };
}

/** The integer with the locale's own grouping (also below 10,000, where some locales leave it out). */
function grouped(digits: string, locale: string | undefined): string {
  return new Intl.NumberFormat(locale, { useGrouping: 'always', maximumFractionDigits: 0 })
    .format(BigInt(digits))
    .replace(/\s/g, ' ');
}

/** Parses a positive amount typed in `locale` for `currency`; the value is a plain decimal string. */
export function parseAmount(raw: string, locale: string | undefined, currency: string): ParsedAmount {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '') return { ok: false, problem: 'empty' };
  const { decimal, group } = separatorsOf(locale);
  if (!/^[\d.,' ’]+$/.test(text) || !/^\d/.test(text)) return { ok: false, problem: 'invalid' };
  let intPart = text;
  let fracPart = '';
  const decimalAt = text.lastIndexOf(decimal);
  if (text.split(decimal).length === 2) {
    intPart = text.slice(0, decimalAt);
    fracPart = text.slice(decimalAt + decimal.length);
  } else if (text.split(decimal).length > 2) {
    return { ok: false, problem: 'invalid' };
  } else {
    // No decimal separator of the locale: a lone "." or "," that the locale does not use for grouping, with one
    // or two digits after it, can only be a decimal point; three digits after it could be either.
    const other = /^(\d+)([.,])(\d+)$/.exec(text);
    if (other && other[2] !== group) {
      if (other[3]!.length === 3) return { ok: false, problem: 'ambiguous' };
      intPart = other[1]!;
      fracPart = other[3]!;
    }
  }
  if (fracPart !== '' && !/^\d+$/.test(fracPart)) return { ok: false, problem: 'invalid' };
  // "1,000" in de-DE: by the locale one with three decimals, but most likely a thousand written the English way.
  if (fracPart.length === 3 && /^\d+$/.test(intPart)) return { ok: false, problem: 'ambiguous' };
  const digits = intPart.split(group).join('');
  if (!/^\d+$/.test(digits)) {
    // Some other separator in the integer part ("50.00" in de-DE, where "." groups thousands).
    return { ok: false, problem: /^\d+[.,]\d{1,2}$/.test(intPart) ? 'ambiguous' : 'invalid' };
  }
  if (digits !== intPart && grouped(digits, locale) !== intPart) {
    // Group separators where the locale would not put them ("50.00" in de-DE reads as a decimal point).
    return { ok: false, problem: /^\d+[.,]\d{1,2}$/.test(intPart) ? 'ambiguous' : 'invalid' };
  }
  if (digits.length > 12) return { ok: false, problem: 'invalid' };
  if (fracPart.length > minorDigits(currency)) return { ok: false, problem: 'precision' };
  const micros = toMicros(`${digits}${fracPart ? `.${fracPart}` : ''}`);
  if (micros <= 0n) return { ok: false, problem: 'zero' };
  const value = fromMicros(micros);
  const keep = minorDigits(currency);
  return { ok: true, value: keep === 0 ? value.split('.')[0]! : value.slice(0, value.length - 6 + keep) };
}

/** An amount (decimal string) as the user would type it in `locale`, for prefilling the field. */
export function toInputText(value: string, locale: string | undefined, currency: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, {
    useGrouping: false,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Number(value));
}
