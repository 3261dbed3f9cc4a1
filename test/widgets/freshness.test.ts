import { describe, expect, it } from 'vitest';
import { isStale } from '../../widgets/src/freshness.js';

describe('widgets/src/freshness', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  it('calls data older than a day stale, and a day or less fresh', () => {
    expect(isStale('2025-06-09T11:59:59Z', now)).toBe(true);
    expect(isStale('2025-06-09T12:00:00Z', now)).toBe(false);
    expect(isStale('2025-06-10T11:00:00Z', now)).toBe(false);
  });
  it('says nothing when the time is unknown', () => {
    expect(isStale(null, now)).toBe(false);
    expect(isStale(undefined, now)).toBe(false);
    expect(isStale('not a date', now)).toBe(false);
  });
});
