import { describe, expect, it } from 'vitest';
import {
  sumUsageByPeriod,
  summarizeUsage,
  toUsageChartRows,
} from '../../../widgets/src/data/usage-series.js';

const rows = [
  { period: '2025-02', unit: 'conversation', all: 5, free: 2, paid: 3 },
  { period: '2025-01', unit: 'conversation', all: 4, free: 4, paid: 0 },
  { period: '2025-02', unit: 'message', all: 10, free: 1, paid: 9 },
];

describe('widgets/src/data/usage-series', () => {
  it('sums rows per period across units, in period order', () => {
    expect(sumUsageByPeriod(rows)).toEqual([
      { period: '2025-01', all: 4, free: 4, paid: 0 },
      { period: '2025-02', all: 15, free: 3, paid: 12 },
    ]);
  });

  it('keeps both kinds for All and one kind for Free or Paid', () => {
    const periods = sumUsageByPeriod(rows);
    expect(toUsageChartRows(periods, 'all', 'en-US')).toEqual([
      { order: 0, label: 'Jan 2025', kind: 'Free', value: 4 },
      { order: 0, label: 'Jan 2025', kind: 'Paid', value: 0 },
      { order: 1, label: 'Feb 2025', kind: 'Free', value: 3 },
      { order: 1, label: 'Feb 2025', kind: 'Paid', value: 12 },
    ]);
    expect(toUsageChartRows(periods, 'paid', 'en-US').map((r) => r.kind)).toEqual(['Paid', 'Paid']);
  });

  it('summarises totals and the busiest period in words', () => {
    const periods = sumUsageByPeriod(rows);
    expect(summarizeUsage(periods, 'all', 'en-US')).toBe(
      '19 billable units (7 free, 12 paid) from Jan 2025 to Feb 2025; highest in Feb 2025 with 15.',
    );
    expect(summarizeUsage(periods, 'free', 'en-US')).toBe(
      '7 free units from Jan 2025 to Feb 2025; highest in Jan 2025 with 4.',
    );
    expect(summarizeUsage([], 'all', 'en-US')).toBe('');
  });
});
