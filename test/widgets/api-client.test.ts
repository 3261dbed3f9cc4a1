import { describe, expect, it } from 'vitest';
import { buildUrl, problemMessage } from '../../widgets/src/api-client.js';

describe('widgets/src/api-client', () => {
  it('builds URLs under the base, skipping empty values and joining lists', () => {
    expect(
      buildUrl('https://x.test/', '/v1/usage', { a: 'b', e: '', n: undefined, ids: ['P1', 'P2'], h: 6 }),
    ).toBe('https://x.test/v1/usage?a=b&ids=P1%2CP2&h=6');
  });

  it('maps problems to the message catalogue', () => {
    expect(problemMessage(401, { detail: 'The embed token has expired.' })).toBe('expired');
    expect(problemMessage(401, {})).toBe('unauthorized');
    expect(problemMessage(403, { detail: 'lacks scope' })).toBe('forbidden');
    expect(problemMessage(404, {})).toBe('notFound');
    expect(problemMessage(403, { code: 'origin_not_allowed' })).toBe('originNotAllowed');
    expect(problemMessage(400, { detail: 'amount must be above zero' })).toBe('unknown');
  });
});
