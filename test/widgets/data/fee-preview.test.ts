/** The wizard's live fee equals the service's quote arithmetic; days covered by an amount. */
import { describe, expect, it } from 'vitest';
import { daysCovered, previewFee } from '../../../widgets/src/data/fee-preview.js';

describe('previewFee', () => {
  it('puts the fee on top, rounded half-up once to the minor unit', () => {
    expect(previewFee('50.00', { percent: '4', fixed: '0' }, 'USD')).toEqual({
      fee: '2.000000',
      total: '52.000000',
    });
    // 4 % of 10.13 = 0.4052 → 0.41; with a fixed 0.30 → 0.71 (one rounding of the exact sum).
    expect(previewFee('10.13', { percent: '4', fixed: '0.30' }, 'EUR').fee).toBe('0.710000');
    expect(previewFee('999', { percent: '2.5', fixed: '0' }, 'JPY')).toEqual({
      fee: '25.000000',
      total: '1024.000000',
    });
  });
});

describe('daysCovered', () => {
  it('counts whole days at the daily spend, or null without spend', () => {
    expect(daysCovered('100.00', '3.30')).toBe(30);
    expect(daysCovered('100.00', '0.000000')).toBeNull();
    expect(daysCovered('100.00', null)).toBeNull();
  });
});
