import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../worker/errors.js';
import { parseSeriesJson, type JsonSeries } from '../../worker/forecast/parse-series-json.js';
import { monthIndex } from '../../worker/kernel/calendar.js';

function issuesOf(input: JsonSeries[]): unknown {
  try {
    parseSeriesJson(input);
  } catch (err) {
    if (err instanceof ValidationError) return err.detail.issues;
    throw err;
  }
  return null;
}

describe('worker/forecast/parse-series-json', () => {
  it('takes plain values as they come and dated points in month order', () => {
    const out = parseSeriesJson([
      { id: 'v', values: [1, 2, 3] },
      {
        id: 'p',
        points: [
          { period: '2026-01', value: 5 },
          { period: '2025-12', value: 4 },
        ],
      },
    ]);
    expect(out.series).toEqual([
      { id: 'v', values: [1, 2, 3] },
      { id: 'p', values: [4, 5] },
    ]);
    expect(out.lastMonth).toEqual([null, monthIndex('2026-01')]);
  });

  it('names every non-finite value and every repeated or missing month', () => {
    expect(
      issuesOf([
        { id: 'v', values: [1, null] },
        {
          id: 'p',
          points: [
            { period: '2026-01', value: 1 },
            { period: '2026-01', value: 2 },
            { period: '2026-04', value: null },
          ],
        },
      ]),
    ).toEqual([
      { column: 'series.0.values.1', reason: 'series v: value at index 1 is not a finite number' },
      { column: 'series.1.points.1.period', reason: 'series p: repeated period 2026-01' },
      { column: 'series.1.points.2.value', reason: 'series p: value at index 2 is not a finite number' },
      { column: 'series.1.points.2.period', reason: 'series p: gap before period 2026-04' },
    ]);
  });
});
