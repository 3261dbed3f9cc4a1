/** worker/kernel/money: exact parsing and formatting, minor units, fees rounded once half-up. */
import { describe, expect, it } from 'vitest';
import {
  addDecimal,
  ceilToMinor,
  feeMicros,
  fromMicros,
  minorDigits,
  roundToMinor,
  toMicros,
} from '../../worker/kernel/money.js';

const fee = (amount: string, percent: string, currency = 'EUR', fixed = '0') =>
  fromMicros(feeMicros(toMicros(amount), { percent, fixed }, currency));

describe('kernel/money', () => {
  it('round-trips decimal strings exactly', () => {
    expect(fromMicros(toMicros('12.5'))).toBe('12.500000');
    expect(fromMicros(toMicros('-0.000001'))).toBe('-0.000001');
    expect(fromMicros(toMicros('0.1') + toMicros('0.2'))).toBe('0.300000');
    expect(() => toMicros('1e3')).toThrow();
  });

  it('refuses rather than truncates: no text becomes money it does not say', () => {
    // A seventh decimal would be dropped by truncation: 0.0000009 would become 0, 1.9999999 would become 1.999999.
    for (const bad of [
      '0.0000009',
      '1.9999999',
      '12.5000001',
      '',
      '-',
      '.5',
      '5.',
      '+1',
      '1,5',
      '0x10',
      'NaN',
      '1 2',
    ])
      expect(() => toMicros(bad), bad).toThrow(RangeError);
    expect(toMicros(' 7.25 ')).toBe(7_250_000n);
    expect(toMicros('-0')).toBe(0n);
    // DECIMAL(38,6) sums as DuckDB prints them round-trip unchanged.
    expect(fromMicros(toMicros('99999999999999999999.999999'))).toBe('99999999999999999999.999999');
  });

  it('adds decimal strings exactly', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.300000');
    expect(addDecimal('12.000001', '-12.000001')).toBe('0.000000');
    expect(addDecimal('9007199254740993.000001', '1')).toBe('9007199254740994.000001');
    expect(() => addDecimal('1.0000001', '0')).toThrow(RangeError);
  });

  it('knows minor units', () => {
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it('computes fees exactly and rounds half-up to the minor unit', () => {
    expect(fee('50', '4')).toBe('2.000000'); // §9.6
    expect(fee('0.63', '4')).toBe('0.030000'); // 0.0252 → 0.03
    expect(fee('0.62', '4')).toBe('0.020000'); // 0.0248 → 0.02
    expect(fee('0.625', '4')).toBe('0.030000'); // 0.025 exactly → half-up
    expect(fee('10', '2.9', 'EUR', '0.30')).toBe('0.590000'); // 0.29 + 0.30
    expect(fee('1234', '4', 'JPY')).toBe('49.000000'); // 49.36 → 49
    expect(fee('12.5', '4', 'KWD')).toBe('0.500000');
    expect(fee('100', '0')).toBe('0.000000');
  });

  it('rounds and ceils amounts to the minor unit', () => {
    expect(fromMicros(roundToMinor(toMicros('9.495'), 'EUR'))).toBe('9.500000');
    expect(fromMicros(roundToMinor(toMicros('-9.495'), 'EUR'))).toBe('-9.500000');
    expect(fromMicros(ceilToMinor(toMicros('9.491'), 'EUR'))).toBe('9.500000');
    expect(fromMicros(ceilToMinor(toMicros('9.49'), 'EUR'))).toBe('9.490000');
  });
});
