import { describe, expect, it } from 'vitest';
import {
  sumUsageByPeriod,
  summarizeUsage,
  toUsageChartRows,
  unitsOf,
} from '../../../widgets/src/data/usage-series.js';
import { createTranslator } from '../../../widgets/src/catalogue.js';
import { englishChartTexts } from '../../../widgets/src/specs/chart-text.js';

const en = createTranslator('en-US');
const texts = englishChartTexts();

const rows = [
  { period: '2025-02', unit: 'conversation', all: 5, free: 2, paid: 3 },
  { period: '2025-01', unit: 'conversation', all: 4, free: 4, paid: 0 },
  { period: '2025-02', unit: 'message', all: 10, free: 1, paid: 9 },
  { period: '2025-02', unit: 'conversation', all: 1, free: 1, paid: 0 },
];

describe('widgets/src/data/usage-series', () => {
  it('sums rows per period and unit, never adding conversations to messages', () => {
    expect(sumUsageByPeriod(rows)).toEqual([
      { period: '2025-01', unit: 'conversation', all: 4, free: 4, paid: 0 },
      { period: '2025-02', unit: 'conversation', all: 6, free: 3, paid: 3 },
      { period: '2025-02', unit: 'message', all: 10, free: 1, paid: 9 },
    ]);
    expect(unitsOf(sumUsageByPeriod(rows))).toEqual(['conversation', 'message']);
  });

  it('keeps both kinds for All and one kind for Free or Paid, one panel per unit', () => {
    const periods = sumUsageByPeriod(rows);
    const jan = { label: 'Jan 2025', tip: 'Jan 2025', partial: false };
    const feb = { label: 'Feb 2025', tip: 'Feb 2025', partial: false };
    expect(toUsageChartRows(periods, 'all', 'en-US', texts)).toEqual([
      { ...jan, order: 0, unit: 'Conversations', kind: 'Free', stack: 0, value: 4 },
      { ...jan, order: 0, unit: 'Conversations', kind: 'Paid', stack: 1, value: 0 },
      { ...feb, order: 1, unit: 'Conversations', kind: 'Free', stack: 0, value: 3 },
      { ...feb, order: 1, unit: 'Conversations', kind: 'Paid', stack: 1, value: 3 },
      { ...feb, order: 1, unit: 'Messages', kind: 'Free', stack: 0, value: 1 },
      { ...feb, order: 1, unit: 'Messages', kind: 'Paid', stack: 1, value: 9 },
    ]);
    // February still running: its bars are marked and their tooltip says how far it goes.
    const running = toUsageChartRows(periods, 'all', 'en-US', texts, {
      period: '2025-02',
      note: 'Partial month, up to Feb 9, 2025',
    });
    expect(running.map((r) => [r.label, r.partial, r.tip])).toEqual([
      ['Jan 2025', false, 'Jan 2025'],
      ['Jan 2025', false, 'Jan 2025'],
      ['Feb 2025', true, 'Feb 2025 · Partial month, up to Feb 9, 2025'],
      ['Feb 2025', true, 'Feb 2025 · Partial month, up to Feb 9, 2025'],
      ['Feb 2025', true, 'Feb 2025 · Partial month, up to Feb 9, 2025'],
      ['Feb 2025', true, 'Feb 2025 · Partial month, up to Feb 9, 2025'],
    ]);
    expect(toUsageChartRows(periods, 'paid', 'en-US', texts).map((r) => r.kind)).toEqual([
      'Paid',
      'Paid',
      'Paid',
    ]);
  });

  it('summarises each unit apart: totals and the busiest period in words', () => {
    const periods = sumUsageByPeriod(rows);
    expect(summarizeUsage(periods, 'all', en)).toBe(
      '10 conversations (7 free, 3 paid) from Jan 2025 to Feb 2025; highest in Feb 2025 with 6. ' +
        '10 messages (1 free, 9 paid) from Feb 2025 to Feb 2025; highest in Feb 2025 with 10.',
    );
    expect(summarizeUsage(periods.slice(0, 2), 'free', en)).toBe(
      '7 free conversations from Jan 2025 to Feb 2025; highest in Jan 2025 with 4.',
    );
    expect(summarizeUsage([periods[2]!], 'paid', en)).toBe(
      '9 paid messages from Feb 2025 to Feb 2025; highest in Feb 2025 with 9.',
    );
    expect(summarizeUsage([], 'all', en)).toBe('');
  });
});
