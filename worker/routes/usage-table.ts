/**
 * The shared edge of GET /v1/usage and GET /v1/charges: scope check, query validation, tenant filtering via
 * visibleScope, then the one query builder and content negotiation (JSON, CSV, Arrow, Parquet). JSON keeps its
 * envelope and readable periods ('2025-08', '2025-Q3', '2025-08-14T09:00'); the other formats carry the typed
 * columns (period DATE, or TIMESTAMP by hour) and the envelope as metadata. JSON and CSV are streamed from the
 * store as the rows are produced (table-stream.ts); Arrow and Parquet are built as whole files.
 */
import type { Context } from 'hono';
import { visibleScope } from '../auth/visible-scope.js';
import type { Row } from '../db/db.js';
import type { AppEnv } from '../app-deps.js';
import { ValidationError } from '../errors.js';
import { requireOwnUsage, usageView } from '../ledger/usage-view.js';
import { resolveDayRange } from '../http/day-range.js';
import { pickFormat, respondTable } from '../http/table-response.js';
import { streamTable } from '../http/table-stream.js';
import { dataThrough } from '../usage/data-feed.js';
import { decodeCursor, encodeCursor, fingerprintOf } from '../usage/page-cursor.js';
import { uniqueGroupKeys, type UsageQueryInput } from '../usage/query-schema.js';
import type { RollupTables } from '../usage/rollup-tables.js';
import { buildTableQuery, usesUnits, type TableGranularity, type TableQuery } from '../usage/table-query.js';
import { readAheadQuery, readAheadStream } from '../usage/table-read-ahead.js';
import { COUNT_COLUMNS, type Measure } from '../usage/usage-query.js';

/** What a measure may add to the answer's metadata, given the resolved scope and day range. */
export type ExtraMeta = (q: {
  readonly now: Date;
  readonly phoneNumberIds: readonly string[];
  readonly fromDay: string;
  readonly toDay: string;
  /** The rollups the answer reads (a replica that is not the usage source reads the published ones). */
  readonly tables: RollupTables;
}) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** Answers a usage or charges table for the request's filters (validated by the route, usage.ts). */
export async function answerUsageTable(
  c: Context<AppEnv>,
  measure: Measure,
  input: UsageQueryInput,
  extraMeta: ExtraMeta = () => ({}),
): Promise<Response> {
  const { db, clock, host } = c.var.deps;
  const now = clock.now();
  const range = resolveDayRange(input.from, input.to, now);
  if (range.issues.length > 0) throw new ValidationError('The request query is not valid.', range.issues);

  const groupBy = uniqueGroupKeys(input.group_by);
  const granularity = input.granularity ?? 'month';
  const tz = input.tz ?? 'waba';
  const limit = input.limit ?? null;
  const format = pickFormat(c);
  const view = await usageView(c.var.deps, now);
  if (usesUnits({ tz, granularity, groupBy }))
    requireOwnUsage(
      view,
      'usage in another zone than each WABA’s, by hour, or by template_name or direction',
    );
  const baseOf = (phoneNumberIds: readonly string[]): Omit<TableQuery, 'limit' | 'offset'> => ({
    phoneNumberIds,
    fromDay: range.fromDay,
    toDay: range.toDay,
    granularity,
    tz,
    groupBy,
    measure,
    rollups: view.tables,
  });
  // Numbers named under at most one WABA are the whole scope once visibleScope accepts them (it answers 404
  // otherwise): their freshness, and a small first page of a streamed format, are read at the same time on the
  // other readers (table-read-ahead.ts).
  const named = input.phone_number_id ?? [];
  const knownScope = named.length > 0 && new Set(input.waba_id ?? []).size <= 1 ? [...new Set(named)] : null;
  const ahead =
    knownScope &&
    db.streamColumns &&
    input.cursor === undefined &&
    (format === 'json' || (format === 'csv' && limit === null))
      ? readAheadQuery(baseOf(knownScope), limit)
      : null;
  const [phones, knownThrough, aheadRows] = await Promise.all([
    visibleScope(c.var.deps.money, c.var.principal, {
      wabaIds: input.waba_id,
      phoneNumberIds: input.phone_number_id,
    }),
    knownScope ? dataThrough(db, knownScope, view.tables.feed) : null,
    // A store that refuses synchronously must still reject here, or the reads already started go unhandled.
    ahead ? Promise.resolve().then(() => db.columns(ahead.sql, ahead.params)) : null,
  ]);
  const base = baseOf(phones.map((p) => p.phone_number_id));
  // Without the tables read: a cursor from one replica pages on from another.
  const { rollups: _read, ...filters } = base;
  const fingerprint = fingerprintOf([measure, filters, limit]);
  const offset = decodeCursor(input.cursor, fingerprint);
  const readAhead = aheadRows ? readAheadStream(aheadRows, limit) : null;
  const cursorAfter = (page: number, more: boolean) =>
    more ? encodeCursor(offset + page, fingerprint) : null;
  const echo = (given: string | undefined, day: string) => given ?? day.slice(0, 7);
  const head = {
    granularity,
    from: echo(input.from, range.fromDay),
    to: echo(input.to, range.toDay),
    ...(input.tz ? { tz } : {}),
    group_by: groupBy,
  };
  // Read before any row: a streamed page holds its reader connection until the last row is sent.
  const rest = {
    data_through: knownScope ? knownThrough : await dataThrough(db, base.phoneNumberIds, view.tables.feed),
    ...(await extraMeta({
      now,
      phoneNumberIds: base.phoneNumberIds,
      fromDay: range.fromDay,
      toDay: range.toDay,
      tables: view.tables,
    })),
  };
  const filename = `${measure}_${range.fromDay}_${range.toDay}`;
  const counts = COUNT_COLUMNS[measure];
  // BIGINT arrives as a string; the JSON contract wants integers (counts stay far below 2^53).
  const jsonRow = (r: Row): Row => {
    const out: Row = { ...r, period: periodText(String(r.period), granularity) };
    for (const k of counts) out[k] = Number(r[k]);
    return out;
  };
  const page = buildTableQuery({ ...base, limit, offset });

  if (db.streamColumns && format === 'json') {
    // One row more than the page tells whether another page follows; next_cursor then closes the envelope.
    const q = buildTableQuery({ ...base, limit: limit === null ? null : limit + 1, offset });
    return streamTable(c, readAhead ?? (await db.streamColumns(q.sql, q.params)), {
      format,
      filename,
      meta: { ...head, ...rest },
      limit,
      tail: limit === null ? undefined : (more) => ({ next_cursor: cursorAfter(limit, more) }),
      jsonRow,
    });
  }
  if (db.streamColumns && format === 'csv') {
    // The next cursor is a header, sent before any row: a one-row read past the page tells whether it exists.
    let nextCursor: { next_cursor?: string | null } = {};
    if (limit !== null) {
      const after = buildTableQuery({ ...base, limit: 1, offset: offset + limit });
      nextCursor = { next_cursor: cursorAfter(limit, (await db.all(after.sql, after.params)).length > 0) };
    }
    return streamTable(c, readAhead ?? (await db.streamColumns(page.sql, page.params)), {
      format,
      filename,
      meta: { ...head, ...nextCursor, ...rest },
      limit: null,
    });
  }

  // Arrow and Parquet are whole files. A whole table answered as Parquet is written by DuckDB alone: here only
  // its column names and types are read.
  const parquetOnly = limit === null && format === 'parquet' && host.toParquet !== undefined;
  const probe = buildTableQuery({
    ...base,
    limit: parquetOnly ? 0 : limit === null ? null : limit + 1,
    offset,
  });
  const result = await db.columns(probe.sql, probe.params);
  const more = limit !== null && result.rows.length > limit;
  const typedRows = more ? result.rows.slice(0, limit) : result.rows;
  const toParquet = host.toParquet;
  return respondTable(
    c,
    { ...result, rows: typedRows },
    {
      filename,
      jsonRows: typedRows.map(jsonRow),
      meta: { ...head, ...(limit !== null ? { next_cursor: cursorAfter(limit, more) } : {}), ...rest },
      parquet: toParquet ? (metadata) => toParquet.call(host, page.sql, page.params, metadata) : undefined,
    },
  );
}

/** The JSON spelling of a period: months as before ('2025-08'), quarters '2025-Q3', hours '…T09:00'. */
function periodText(value: string, granularity: TableGranularity): string {
  if (granularity === 'month') return value.slice(0, 7);
  if (granularity === 'quarter')
    return `${value.slice(0, 4)}-Q${Math.floor((Number(value.slice(5, 7)) - 1) / 3) + 1}`;
  if (granularity === 'hour') return `${value.slice(0, 10)}T${value.slice(11, 16)}`;
  return value.slice(0, 10);
}
