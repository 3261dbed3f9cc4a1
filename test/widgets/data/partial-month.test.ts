import { describe, expect, it } from 'vitest';
import { actualsWithPartial, partialMonth } from '../../../widgets/src/data/partial-month.js';

const rows = [
  { period: '2025-05', currency: 'USD', amount: '12.000000' },
  { period: '2025-06', currency: 'USD', amount: '0.100000' },
  { period: '2025-06', currency: 'USD', amount: '0.200000' },
  { period: '2025-06', currency: 'EUR', amount: '9.000000' },
];

describe('widgets/src/data/partial-month', () => {
  it('sums the running month exactly in the answer currency, up to the latest unit', () => {
    expect(
      partialMonth(
        { rows, data_through: '2025-06-09T10:00:00.000Z', as_of: '2025-06-10T12:00:00.000Z' },
        '2025-06',
        'USD',
      ),
    ).toEqual({ period: '2025-06', value: '0.300000', through: '2025-06-09T10:00:00.000Z' });
  });

  it('bounds the month by the answer time when the latest unit is older than the month', () => {
    expect(
      partialMonth(
        { rows, data_through: '2025-05-07T10:00:00.000Z', as_of: '2025-06-10T12:00:00.000Z' },
        '2025-06',
        'USD',
      )?.through,
    ).toBe('2025-06-10T12:00:00.000Z');
  });

  it('is null when the month has no charges row', () => {
    expect(partialMonth({ rows }, '2025-07', 'USD')).toBeNull();
  });

  it('takes the current month (the range end) out of the actual history', () => {
    const usd = rows.filter((r) => r.currency === 'USD');
    const { charges, partial } = actualsWithPartial({
      rows: usd,
      to: '2025-06',
      as_of: '2025-06-10T00:00:00Z',
    });
    expect(charges.history).toEqual([{ period: '2025-05', value: '12.000000' }]);
    expect(partial).toEqual({ period: '2025-06', value: '0.300000', through: '2025-06-10T00:00:00Z' });
    // A range ending before the current month has no running month.
    expect(actualsWithPartial({ rows: usd, to: '2025-07' }).partial).toBeNull();
  });
});
