/** worker/kernel/csv-reader: the one CSV reader of text bodies, and the readers built on it. */
import { describe, expect, it } from 'vitest';
import { parseSeriesCsv } from '../../worker/forecast/parse-series-csv.js';
import { parseCsvHeader } from '../../worker/ingest/csv-header.js';
import { readCsv } from '../../worker/kernel/csv-reader.js';

describe('kernel/csv-reader', () => {
  it('reads quoted fields, doubled quotes, CRLF and LF, and keeps each record’s first line', () => {
    const text = '\uFEFFa,b\r\n"x,1","say ""hi"""\n"two\nlines",z\n\nlast,';
    expect(readCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x,1', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', 'z'] },
      { line: 6, fields: ['last', ''] },
    ]);
  });

  it('is the reader under the ingest header and the series CSV', () => {
    expect(parseCsvHeader('\uFEFF"unit_id", "a,b" ,c\r\n1,2,3')).toEqual(['unit_id', 'a,b', 'c']);
    expect(parseCsvHeader('a,b,')).toEqual(['a', 'b']);
    const series = parseSeriesCsv('series_id,t,value\n"s,1",1,5\n"s,1",2,6\n\n   \nb,1,7\n');
    expect(series.map((s) => [s.id, [...s.values]])).toEqual([
      ['s,1', [5, 6]],
      ['b', [7]],
    ]);
  });
});
