import { describe, expect, it } from 'vitest';
import { isAmount, quoteRequest } from '../../../widgets/src/data/quote-request.js';

describe('widgets/src/data/quote-request', () => {
  it('sends the amount for one-time and adds the threshold for auto-renewal', () => {
    expect(quoteRequest({ mode: 'one_time', amount: '50', method: 'card', threshold: '9' })).toEqual({
      mode: 'one_time',
      amount: '50',
      payment_method: 'card',
    });
    expect(quoteRequest({ mode: 'auto_renewal', amount: '50', method: 'pix', threshold: '' })).toEqual({
      mode: 'auto_renewal',
      amount: '50',
      payment_method: 'pix',
      auto_renewal: { threshold: '0' },
    });
  });

  it('accepts positive amounts with up to two decimals', () => {
    expect(['50', '49.9', '0.01'].every(isAmount)).toBe(true);
    expect(['0', '-5', '1.234', 'abc', ''].some(isAmount)).toBe(false);
  });
});
