import { describe, expect, it } from 'vitest';
import { buildUrl, problemMessage } from '../../widgets/src/api-client.js';
import { MESSAGES } from '../../widgets/src/messages.js';

describe('widgets/src/api-client', () => {
  it('builds URLs under the base, skipping empty values and joining lists', () => {
    expect(
      buildUrl('https://x.test/', '/v1/usage', { a: 'b', e: '', n: undefined, ids: ['P1', 'P2'], h: 6 }),
    ).toBe('https://x.test/v1/usage?a=b&ids=P1%2CP2&h=6');
  });

  it('maps problems to the message catalogue', () => {
    expect(problemMessage(401, { detail: 'The embed token has expired.' })).toBe(MESSAGES.expired);
    expect(problemMessage(401, {})).toBe(MESSAGES.unauthorized);
    expect(problemMessage(403, { detail: 'lacks scope' })).toBe(MESSAGES.forbidden);
    expect(problemMessage(404, {})).toBe(MESSAGES.notFound);
    expect(problemMessage(400, { detail: 'amount must be above zero' })).toBe('amount must be above zero');
  });
});
