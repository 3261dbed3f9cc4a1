/**
 * Postgres binds positional parameters ($1, $2, …); the rest of the code names them ($phone, $amount) as DuckDB
 * does. This turns one into the other by scanning the SQL once, skipping what is not code: quoted strings
 * ('…', E'…' with backslash escapes), quoted identifiers ("…"), dollar-quoted bodies ($$…$$, $tag$…$tag$) and
 * comments (-- …, nested /* … *\/). A `::cast` after a name ends the name. A name used twice gets one position.
 */
import { QueryError, type SqlParams, type SqlValue } from './db.js';

export interface PositionalSql {
  readonly text: string;
  /** The parameter names in position order ($1 is names[0]). */
  readonly names: readonly string[];
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** Rewrites $name placeholders as $1…$n; positional placeholders in the input are refused. */
export function toPositional(sql: string): PositionalSql {
  const names: string[] = [];
  const position = new Map<string, number>();
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(sql[i - 1]!) && !IDENT_PART.test(sql[i - 2] ?? ' ');
      const end = quotedEnd(sql, i, "'", escapes);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '"') {
      const end = quotedEnd(sql, i, '"', false);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = blockCommentEnd(sql, i);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag && (i === 0 || !IDENT_PART.test(sql[i - 1]!))) {
        // A dollar-quoted body runs to the same tag.
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? n : close + tag[0].length;
        out += sql.slice(i, end);
        i = end;
      } else if (next !== undefined && IDENT_START.test(next)) {
        let j = i + 1;
        while (j < n && IDENT_PART.test(sql[j]!)) j++;
        const name = sql.slice(i + 1, j);
        let at = position.get(name);
        if (at === undefined) {
          names.push(name);
          at = names.length;
          position.set(name, at);
        }
        out += `$${at}`;
        i = j;
      } else if (next !== undefined && /[0-9]/.test(next)) {
        throw new QueryError('positional parameters ($1) are not accepted: name them ($name)', sql);
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, names };
}

/** The index just past the string or identifier quoted by `q` that starts at `start`. */
function quotedEnd(sql: string, start: number, q: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === q && sql[i + 1] === q) i += 2;
    else if (c === q) return i + 1;
    else i++;
  }
  return sql.length;
}

function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}

/**
 * The values in position order. A name the SQL uses and `params` lacks is an error, as is a value the SQL never
 * names (DuckDB refuses both as well, so a typo fails on every store).
 */
export function positionalValues(sql: PositionalSql, params: SqlParams | undefined, raw: string): SqlValue[] {
  const given = params ?? {};
  const missing = sql.names.filter((k) => !(k in given));
  if (missing.length > 0) throw new QueryError(`no value for parameter(s) ${missing.join(', ')}`, raw);
  const unused = Object.keys(given).filter((k) => !sql.names.includes(k));
  if (unused.length > 0) throw new QueryError(`parameter(s) ${unused.join(', ')} not used by the query`, raw);
  return sql.names.map((k) => given[k]!);
}
