/**
 * worker/db/pg-named-params.ts: `$name` to `$n`, leaving alone what is not code (strings, quoted identifiers,
 * dollar-quoted bodies, comments) and ending a name at a `::cast`.
 */
import { describe, expect, it } from 'vitest';
import { positionalValues, toPositional } from '../../worker/db/pg-named-params.js';

describe('worker/db/pg-named-params', () => {
  it('numbers names in order of first use, one position per name', () => {
    expect(toPositional('SELECT $b + $a, $b')).toEqual({ text: 'SELECT $1 + $2, $1', names: ['b', 'a'] });
  });

  it('ends a name at a cast and at any character that cannot be in a name', () => {
    expect(toPositional('SELECT $amt::NUMERIC(18,6), $d::DATE, ($x_1), $y;')).toEqual({
      text: 'SELECT $1::NUMERIC(18,6), $2::DATE, ($3), $4;',
      names: ['amt', 'd', 'x_1', 'y'],
    });
  });

  it('leaves names inside strings, quoted identifiers and comments as they are', () => {
    const sql = `SELECT '$a', 'it''s $a', E'\\'$a', "$a", $b -- $a
      /* $a /* nested $a */ still $a */ FROM t WHERE x = $c`;
    const out = toPositional(sql);
    expect(out.names).toEqual(['b', 'c']);
    expect(out.text).toBe(sql.replace('$b', '$1').replace('$c', '$2'));
  });

  it('leaves dollar-quoted bodies alone, tagged or not', () => {
    const sql = 'SELECT $$ $a $$, $fn$ $a $x$ $fn$, $real';
    expect(toPositional(sql)).toEqual({ text: 'SELECT $$ $a $$, $fn$ $a $x$ $fn$, $1', names: ['real'] });
  });

  it('refuses positional placeholders', () => {
    expect(() => toPositional('SELECT $1')).toThrow('positional parameters');
  });

  it('takes values in position order and refuses a missing or an unused one', () => {
    const pos = toPositional('SELECT $b, $a, $b');
    expect(positionalValues(pos, { a: 1, b: 'x' }, '')).toEqual(['x', 1]);
    expect(() => positionalValues(pos, { a: 1 }, '')).toThrow('no value for parameter(s) b');
    expect(() => positionalValues(pos, { a: 1, b: 2, c: 3 }, '')).toThrow('c not used');
    expect(positionalValues(toPositional('SELECT 1'), undefined, '')).toEqual([]);
  });
});
