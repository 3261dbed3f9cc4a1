/**
 * One statement on a node-postgres client, named parameters bound by position, the answer in the DuckDB store's
 * shape. A statement without parameters goes by the simple protocol, so a migration file of several statements
 * runs as it is (the last statement's rows are answered).
 */
import type pg from 'pg';
import { QueryError, type ColumnarResult, type Row, type SqlParams, type SqlValue } from './db.js';
import { positionalValues, toPositional, type PositionalSql } from './pg-named-params.js';
import { typeName } from './pg-values.js';

const translated = new Map<string, PositionalSql>();
const CACHE_LIMIT = 1000;

function positional(sql: string): PositionalSql {
  let hit = translated.get(sql);
  if (!hit) {
    hit = toPositional(sql);
    if (translated.size >= CACHE_LIMIT) translated.clear();
    translated.set(sql, hit);
  }
  return hit;
}

function toPg(v: SqlValue): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return [...(v as readonly string[])];
  return v;
}

export async function runPg(
  client: pg.ClientBase,
  sql: string,
  params: SqlParams | undefined,
): Promise<ColumnarResult> {
  const pos = positional(sql);
  const values = positionalValues(pos, params, sql).map(toPg);
  let answer: pg.QueryResult<Row> | pg.QueryResult<Row>[];
  try {
    answer = await client.query<Row>(values.length > 0 ? { text: pos.text, values } : pos.text);
  } catch (err) {
    throw new QueryError(err instanceof Error ? err.message : String(err), sql, { cause: err });
  }
  const last: pg.QueryResult<Row> | undefined = Array.isArray(answer) ? answer[answer.length - 1] : answer;
  const fields = last?.fields ?? [];
  return {
    names: fields.map((f) => f.name),
    types: fields.map((f) => typeName(f.dataTypeID, f.dataTypeModifier)),
    rows: last?.rows ?? [],
  };
}
