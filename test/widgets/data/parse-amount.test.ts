/** Amounts typed in the user's locale: exact decimal strings out, ambiguous or invalid input refused. */
import { describe, expect, it } from 'vitest';
import { parseAmount, separatorsOf, toInputText } from '../../../widgets/src/data/parse-amount.js';

const ok = (raw: string, locale: string, currency = 'EUR') => parseAmount(raw, locale, currency);

describe('parseAmount', () => {
  it('reads the locale decimal separator and its grouping', () => {
    expect(ok('50,00', 'de-DE')).toEqual({ ok: true, value: '50.00' });
    expect(ok('50,5', 'de-DE')).toEqual({ ok: true, value: '50.50' });
    expect(ok('1.000,5', 'de-DE')).toEqual({ ok: true, value: '1000.50' });
    expect(ok('1.000', 'de-DE')).toEqual({ ok: true, value: '1000.00' });
    expect(ok('50.00', 'en-US', 'USD')).toEqual({ ok: true, value: '50.00' });
    expect(ok('1,234.56', 'en-US', 'USD')).toEqual({ ok: true, value: '1234.56' });
    expect(ok('1 000,25', 'fr-FR')).toEqual({ ok: true, value: '1000.25' });
    expect(ok('1\u202f000,25', 'fr-FR')).toEqual({ ok: true, value: '1000.25' });
    expect(ok('1,00,000.50', 'hi-IN', 'INR')).toEqual({ ok: true, value: '100000.50' });
    expect(ok('  75 ', 'de-DE')).toEqual({ ok: true, value: '75.00' });
    expect(ok('1500', 'ja-JP', 'JPY')).toEqual({ ok: true, value: '1500' });
  });

  it('takes a lone point or comma the locale does not group with as the decimal point', () => {
    expect(ok('50.5', 'fr-FR')).toEqual({ ok: true, value: '50.50' });
    expect(ok('50,5', 'en-US', 'USD')).toEqual({ ok: false, problem: 'ambiguous' });
  });

  it('refuses what could be read two ways', () => {
    expect(ok('50.00', 'de-DE').ok).toBe(false);
    expect(ok('50.00', 'de-DE')).toEqual({ ok: false, problem: 'ambiguous' });
    expect(ok('1,000', 'de-DE')).toEqual({ ok: false, problem: 'ambiguous' });
    expect(ok('1.000', 'fr-FR')).toEqual({ ok: false, problem: 'ambiguous' });
    expect(ok('50,00', 'en-US', 'USD')).toEqual({ ok: false, problem: 'ambiguous' });
  });

  it('refuses invalid, too precise, zero and empty input', () => {
    expect(ok('', 'de-DE')).toEqual({ ok: false, problem: 'empty' });
    expect(ok('abc', 'de-DE')).toEqual({ ok: false, problem: 'invalid' });
    expect(ok('-5', 'de-DE')).toEqual({ ok: false, problem: 'invalid' });
    expect(ok('5e3', 'en-US', 'USD')).toEqual({ ok: false, problem: 'invalid' });
    expect(ok('1,2,3', 'de-DE')).toEqual({ ok: false, problem: 'invalid' });
    expect(ok('10.00.000', 'de-DE')).toEqual({ ok: false, problem: 'invalid' });
    expect(ok('1,2345', 'de-DE')).toEqual({ ok: false, problem: 'precision' });
    expect(ok('12.5', 'ja-JP', 'JPY')).toEqual({ ok: false, problem: 'precision' });
    expect(ok('0,00', 'de-DE')).toEqual({ ok: false, problem: 'zero' });
    expect(ok('9999999999999', 'en-US', 'USD')).toEqual({ ok: false, problem: 'invalid' });
  });

  it('formats a value back as the user would type it', () => {
    expect(toInputText('1234.5', 'de-DE', 'EUR')).toBe('1234,50');
    expect(toInputText('1234.5', 'en-US', 'USD')).toBe('1234.50');
    expect(separatorsOf('de-DE')).toEqual({ decimal: ',', group: '.' });
    expect(separatorsOf('fr-FR')).toEqual({ decimal: ',', group: ' ' });
  });
});
