import { describe, expect, it } from 'vitest';
import { quoteRequest } from '../../../widgets/src/data/quote-request.js';

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
});
