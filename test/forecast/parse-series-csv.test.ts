import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../worker/errors.js';
import { parseSeriesCsv } from '../../worker/forecast/parse-series-csv.js';

function issuesOf(text: string): unknown {
  try {
    parseSeriesCsv(text);
  } catch (err) {
    if (err instanceof ValidationError) return err.detail.issues;
    throw err;
  }
  return null;
}

describe('worker/forecast/parse-series-csv', () => {
  it('groups by id in order of first appearance and sorts by t, whatever the column order', () => {
    const text = 'value,t,series_id,note\n5,2,b,x\n1,1,"a,1",y\n4,1,b,z\n2,2,"a,1",w\n';
    expect(parseSeriesCsv(text)).toEqual([
      { id: 'b', values: [4, 5] },
      { id: 'a,1', values: [1, 2] },
    ]);
  });
  it('accepts CRLF line ends and a trailing blank line', () => {
    expect(parseSeriesCsv('series_id,t,value\r\na,1,1.5\r\na,2,-2e3\r\n\r\n')).toEqual([
      { id: 'a', values: [1.5, -2000] },
    ]);
  });
  it('names the line and reason of each bad row', () => {
    expect(issuesOf('series_id,t,value\na,1,1\n,2,3\na,2.5,1\na,3,inf\na,4\n')).toEqual([
      { line: 3, column: 'series_id', reason: 'series_id is empty' },
      { line: 4, column: 't', reason: 't "2.5" is not an integer' },
      { line: 5, column: 'value', reason: 'value "inf" is not a finite number' },
      { line: 6, reason: 'expected 3 fields, got 2' },
    ]);
  });
  it('rejects repeated and missing time indices', () => {
    expect(issuesOf('series_id,t,value\na,1,1\na,1,2\nb,1,1\nb,3,1\n')).toEqual([
      { line: 3, column: 't', reason: 'series a: t = 1 appears twice' },
      { line: 5, column: 't', reason: 'series b: gap in t from 1 to 3' },
    ]);
  });
  it('needs the three named columns and at least one row', () => {
    expect(issuesOf('id,time,y\na,1,1\n')).toEqual([{ line: 1, reason: 'header is "id,time,y"' }]);
    expect(issuesOf('series_id,t,value\n')).toEqual([{ line: 2, reason: 'no data rows' }]);
  });
});
