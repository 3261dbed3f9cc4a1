import { describe, expect, it } from 'vitest';
import { knownUpTo, runningPeriod } from '../../../widgets/src/data/running-period.js';

describe('widgets/src/data/running-period', () => {
  // Local-time dates: the viewer's calendar decides which period is running.
  const now = new Date(2025, 5, 10, 13, 30);

  it('is this month or today on the viewer’s calendar', () => {
    expect(runningPeriod('month', now)).toBe('2025-06');
    expect(runningPeriod('day', now)).toBe('2025-06-10');
  });

  it('is known up to the latest unit inside the period, else up to now', () => {
    const inMonth = new Date(2025, 5, 8, 9).toISOString();
    expect(knownUpTo('2025-06', inMonth, now).toISOString()).toBe(inMonth);
    expect(knownUpTo('2025-06', new Date(2025, 4, 31).toISOString(), now)).toEqual(now);
    expect(knownUpTo('2025-06-10', inMonth, now)).toEqual(now);
    expect(knownUpTo('2025-06', null, now)).toEqual(now);
  });
});
