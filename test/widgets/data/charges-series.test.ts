import { describe, expect, it } from 'vitest';
import {
  actualsOnly,
  describeUnpriced,
  summarizeCharges,
  toChargesChartRows,
} from '../../../widgets/src/data/charges-series.js';
import { createTranslator } from '../../../widgets/src/catalogue.js';
import { englishChartTexts } from '../../../widgets/src/specs/chart-text.js';

const answer = {
  currency: 'USD',
  history: [
    { period: '2025-04', value: '10.500000' },
    { period: '2025-05', value: '12.000000' },
  ],
  forecast: [{ period: '2025-06', mean: '13.25', lower_80: '11', upper_80: '15.5' }],
};

describe('widgets/src/data/charges-series', () => {
  it('joins the forecast line to the last actual month', () => {
    const base = { partial: false, mean: null, lower: null, upper: null };
    expect(toChargesChartRows(answer, 'en-US', englishChartTexts())).toEqual([
      { ...base, order: 0, label: 'Apr 2025', kind: 'Actual', note: 'Actual', amount: 10.5 },
      {
        ...base,
        order: 1,
        label: 'May 2025',
        kind: 'Actual',
        note: 'Actual',
        amount: 12,
        mean: 12,
        lower: 12,
        upper: 12,
      },
      {
        ...base,
        order: 2,
        label: 'Jun 2025',
        kind: 'Forecast',
        note: 'Forecast',
        amount: null,
        mean: 13.25,
        lower: 11,
        upper: 15.5,
      },
    ]);
  });

  it('puts the running month in as a partial bar on the first forecast month, with its note', () => {
    const texts = englishChartTexts({ date: 'Jun 9, 2025' });
    const rows = toChargesChartRows(answer, 'en-US', texts, {
      period: '2025-06',
      value: '4.250000',
      through: '2025-06-09T10:00:00Z',
    });
    expect(rows.map((r) => [r.order, r.label, r.kind, r.partial, r.amount])).toEqual([
      [0, 'Apr 2025', 'Actual', false, 10.5],
      [1, 'May 2025', 'Actual', false, 12],
      [2, 'Jun 2025', 'Actual', true, 4.25],
      [2, 'Jun 2025', 'Forecast', false, null],
    ]);
    expect(rows[2]!.note).toBe('Partial month, up to Jun 9, 2025');
    expect(
      summarizeCharges(answer, createTranslator('en-US'), {
        period: '2025-06',
        value: '4.25',
        through: '2025-06-09',
      }),
    ).toContain('So far in Jun 2025 (partial month, up to Jun 9, 2025): $4.25.');
  });

  it('says the figures are estimates', () => {
    expect(summarizeCharges(answer, createTranslator('en-US'))).toBe(
      'Approximate charges in May 2025: $12.00. Forecast for Jun 2025: $13.25 (80% interval $11.00 to $15.50). All figures are estimates.',
    );
  });

  it('falls back to exact monthly sums of /v1/charges when there is no forecast', () => {
    const t = {
      rows: [
        { period: '2025-02', currency: 'USD', amount: '0.100000' },
        { period: '2025-01', currency: 'USD', amount: '7.500000' },
        { period: '2025-02', currency: 'USD', amount: '0.200000' },
      ],
    };
    expect(actualsOnly(t)).toEqual({
      currency: 'USD',
      history: [
        { period: '2025-01', value: '7.500000' },
        { period: '2025-02', value: '0.300000' },
      ],
      forecast: [],
    });
  });

  it('says how many paid units could not be priced, in the widget’s language, and nothing when none', () => {
    const unpriced = {
      ...answer,
      unpriced_units: {
        count: 1234,
        by: [{ market: 'North America', category: 'marketing', unit: 'message', count: 1234 }],
      },
    };
    expect(describeUnpriced(unpriced, createTranslator('en-US'))).toBe(
      '1,234 paid messages could not be priced: the charges shown leave them out.',
    );
    const one = {
      ...answer,
      unpriced_units: {
        count: 1,
        by: [{ market: null, category: 'service', unit: 'conversation', count: 1 }],
      },
    };
    expect(describeUnpriced(one, createTranslator('en-US'))).toBe(
      '1 paid conversation could not be priced: the charges shown leave it out.',
    );
    expect(describeUnpriced(answer, createTranslator('en-US'))).toBeNull();
    expect(
      describeUnpriced({ ...answer, unpriced_units: { count: 0, by: [] } }, createTranslator('en-US')),
    ).toBeNull();
  });

  it('keeps the unpriced units of /v1/charges and reads a row without an amount as nothing priced', () => {
    const r = actualsOnly({
      rows: [
        { period: '2025-01', currency: 'USD', amount: '7.500000' },
        { period: '2025-02', currency: 'USD', amount: null },
      ],
      unpriced_units: { count: 3 },
      data_through: '2025-02-20T10:00:00.000Z',
    });
    expect(r.history).toEqual([
      { period: '2025-01', value: '7.500000' },
      { period: '2025-02', value: '0.000000' },
    ]);
    expect(r.unpriced_units).toEqual({ count: 3 });
    expect(r.data_through).toBe('2025-02-20T10:00:00.000Z');
  });
});
