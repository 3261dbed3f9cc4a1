/**
 * The usage source publishes its rollups to the money plane, for the replicas that are not it: they hold no
 * units, so they answer usage from what the source published (published-usage-copy.ts). What to publish is
 * what rollup_changes names (written with the rollups, usage/rebuild-rollups.ts): the daily rows of a group of
 * (WABA, local month)s go as one Parquet file written by DuckDB (a part, published_usage_parts) in one money
 * transaction that stamps the months with the next version, the part's, replacing what was published of them;
 * then each month's mark is removed unless the month changed again meanwhile. A stop between the analytics commit and the publication
 * leaves the mark: the next publication (after the next commit, the next pass of the follower, or the next
 * start) carries it. Publishing a month twice writes the same rows twice. A store that is not the source never
 * publishes: the claim is checked in the publishing transaction. With one store (STORE=duckdb) nothing is
 * published and the marks are dropped.
 */
import type { Db, Queryable } from '../db/db.js';
import { planesSplit } from '../db/planes.js';
import { analyticsId } from './usage-source.js';

/**
 * Daily rows in one part at most (whole months: one month may exceed it alone); 250,000 rows are about 2 MB of
 * Parquet.
 */
const ROWS_PER_PUBLICATION = 250_000;

export interface PublishReport {
  /** (WABA, month)s published. */
  readonly months: number;
  readonly rows: number;
  /** The head version after the publication; null when nothing was published. */
  readonly version: number | null;
  /** Why nothing was published although months were pending (this store is not the source). */
  readonly skipped?: 'not_usage_source';
}

interface Mark {
  readonly waba_id: string;
  readonly month: string;
  readonly change: string;
}

const NOTHING: PublishReport = { months: 0, rows: 0, version: null };

/** Publications of one analytics store take turns (its effects, the follower and startup may overlap). */
const turns = new WeakMap<object, Promise<unknown>>();

/** Publishes every month rollup_changes names; see the module comment. */
export function publishUsage(
  stores: { readonly db: Db; readonly money: Db },
  now: Date,
): Promise<PublishReport> {
  const before = turns.get(stores.db) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(() => publishNow(stores, now));
  turns.set(
    stores.db,
    mine.catch(() => undefined),
  );
  return mine;
}

async function publishNow(
  stores: { readonly db: Db; readonly money: Db },
  now: Date,
): Promise<PublishReport> {
  const { db, money } = stores;
  if (!planesSplit(stores)) {
    await db.run('DELETE FROM rollup_changes');
    return NOTHING;
  }
  const id = await analyticsId(db);
  const [source] = await money.all<{ analytics_id: string }>('SELECT analytics_id FROM usage_source');
  if (source && source.analytics_id !== id) return { ...NOTHING, skipped: 'not_usage_source' };
  const [head] = await money.all<{ analytics_id: string }>('SELECT analytics_id FROM published_usage_head');
  // What another store published (before a takeover or a rebuild into a new file) is replaced whole: every month
  // this store holds is marked, and the months only the other one held are emptied below.
  const replacing = head?.analytics_id !== id;
  if (replacing)
    await db.run(
      `INSERT INTO rollup_changes (waba_id, local_month, change)
       SELECT waba_id, local_month, nextval('rollup_change_seq') FROM (SELECT DISTINCT waba_id, local_month FROM usage_daily)
       ON CONFLICT (waba_id, local_month) DO UPDATE SET change = excluded.change`,
    );
  const marks = await db.all<Mark>(
    `SELECT waba_id, strftime(local_month, '%Y-%m-%d') AS month, CAST(change AS VARCHAR) AS change
       FROM rollup_changes ORDER BY waba_id, local_month`,
  );
  if (marks.length === 0 && !replacing) return NOTHING;
  const sizes = await rowCounts(db);
  let months = 0;
  let rows = 0;
  let version: number | null = null;
  for (const [i, group] of groupsOf(marks, sizes).entries()) {
    const part = await dailyPart(db, group, rowsOf(group, sizes));
    const feed = await feedRows(db, group);
    const stamped = await money.transaction(async (tx) => {
      if (!(await stillSource(tx, id))) return null;
      const v = await nextVersion(tx, id, now);
      if (i === 0 && replacing) await emptyOthers(tx, id, v, now);
      await writeMonths(tx, { id, version: v, now, months: group, part, feed });
      return v;
    });
    if (stamped === null) return { months, rows, version, skipped: 'not_usage_source' };
    version = stamped;
    months += group.length;
    rows += part.rows;
    await unmark(db, group);
  }
  if (marks.length === 0 && replacing)
    version = await money.transaction(async (tx) => {
      if (!(await stillSource(tx, id))) return null;
      const v = await nextVersion(tx, id, now);
      await emptyOthers(tx, id, v, now);
      return v;
    });
  return { months, rows, version };
}

async function rowCounts(db: Queryable): Promise<Map<string, number>> {
  const counts = await db.all<{ k: string; n: number }>(
    `SELECT waba_id || '|' || strftime(d.local_month, '%Y-%m-%d') AS k, count(*)::INTEGER AS n
       FROM usage_daily d JOIN rollup_changes USING (waba_id, local_month) GROUP BY ALL`,
  );
  return new Map(counts.map((c) => [c.k, c.n]));
}

const sizeOf = (m: Mark, sizes: ReadonlyMap<string, number>) => sizes.get(`${m.waba_id}|${m.month}`) ?? 0;
const rowsOf = (group: readonly Mark[], sizes: ReadonlyMap<string, number>) =>
  group.reduce((n, m) => n + sizeOf(m, sizes), 0);

/** Whole months, in groups of about ROWS_PER_PUBLICATION daily rows. */
function groupsOf(marks: readonly Mark[], sizes: ReadonlyMap<string, number>): Mark[][] {
  const groups: Mark[][] = [];
  let current: Mark[] = [];
  let size = 0;
  for (const m of marks) {
    const n = sizeOf(m, sizes);
    if (current.length > 0 && size + n > ROWS_PER_PUBLICATION) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += n;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

const monthsParams = (group: readonly Mark[]) => ({
  wabas: group.map((m) => m.waba_id),
  months: group.map((m) => m.month),
});
const IN_GROUP = `(waba_id, local_month) IN (SELECT unnest($wabas), CAST(unnest($months) AS DATE))`;
const ISO_MICROS = `'%Y-%m-%dT%H:%M:%S.%fZ'`;

/** The daily rollup columns a part holds, in the order of the replicas' copy (published_usage_daily). */
const PART_COLUMNS = `waba_id, phone_number_id, local_day, local_month, CAST(category AS VARCHAR) AS category,
  country, market, CAST(pricing_type AS VARCHAR) AS pricing_type, CAST(unit AS VARCHAR) AS unit, currency,
  n_all, n_free, n_paid, n_unpriced, amount`;

interface Part {
  readonly rows: number;
  /** The months' daily rows as one Parquet file, in base64. */
  readonly parquet: string;
}

/**
 * The months' daily rollup rows as one Parquet file written by DuckDB: exact types (DECIMAL, DATE, NULL) and
 * no value handled one by one in Node or the money store (a row per value in Postgres cost 1.1 s of 3.3 s for
 * 123k rows, and DuckDB's joining of each column into one text 1.5 s).
 */
async function dailyPart(db: Db, group: readonly Mark[], rows: number): Promise<Part> {
  if (rows === 0) return { rows, parquet: '' };
  if (!db.parquetOf) throw new Error('publishing usage needs an analytics store that writes Parquet');
  const sql = `SELECT ${PART_COLUMNS} FROM usage_daily WHERE ${IN_GROUP}`;
  return { rows, parquet: await db.parquetOf(sql, monthsParams(group)) };
}

/** The data_feed rows of the group's WABAs (a recompute moves those of its months' numbers only). */
async function feedRows(db: Queryable, group: readonly Mark[]): Promise<string[]> {
  const rows = await db.all<{ j: string }>(
    `SELECT CAST(json_object('phone_number_id', phone_number_id, 'waba_id', waba_id,
              'data_through', strftime(data_through AT TIME ZONE 'UTC', ${ISO_MICROS}),
              'received_at', strftime(received_at AT TIME ZONE 'UTC', ${ISO_MICROS})) AS VARCHAR) AS j
       FROM data_feed WHERE waba_id IN (SELECT unnest($wabas))`,
    { wabas: [...new Set(group.map((m) => m.waba_id))] },
  );
  return rows.map((r) => r.j);
}

async function stillSource(tx: Queryable, id: string): Promise<boolean> {
  const [row] = await tx.all<{ analytics_id: string }>('SELECT analytics_id FROM usage_source');
  return !row || row.analytics_id === id;
}

/** The next version; the head's row lock orders the publishers, so versions commit in increasing order. */
async function nextVersion(tx: Queryable, id: string, now: Date): Promise<number> {
  const [row] = await tx.all<{ version: string }>(
    `INSERT INTO published_usage_head (one, version, analytics_id, published_at)
     VALUES (TRUE, 1, $id, $now::TIMESTAMPTZ)
     ON CONFLICT (one) DO UPDATE SET version = published_usage_head.version + 1,
       analytics_id = excluded.analytics_id, published_at = excluded.published_at
     RETURNING version`,
    { id, now: now.toISOString() },
  );
  return Number(row!.version);
}

/** Months another store published are emptied (a new version, no rows), so every copy drops them. */
async function emptyOthers(tx: Queryable, id: string, version: number, now: Date): Promise<void> {
  await tx.run(
    `UPDATE published_usage_months SET version = $version::BIGINT, analytics_id = $id,
            published_at = $now::TIMESTAMPTZ
      WHERE analytics_id <> $id`,
    { id, version: String(version), now: now.toISOString() },
  );
  await dropUnusedParts(tx);
}

async function writeMonths(
  tx: Queryable,
  p: {
    id: string;
    version: number;
    now: Date;
    months: readonly Mark[];
    part: Part;
    feed: readonly string[];
  },
): Promise<void> {
  const stamp = { id: p.id, version: String(p.version), now: p.now.toISOString() };
  const months = JSON.stringify(p.months.map((m) => ({ waba_id: m.waba_id, month: m.month })));
  if (p.part.rows > 0)
    await tx.run(
      `INSERT INTO published_usage_parts (version, rows, parquet)
       VALUES ($version::BIGINT, $rows::INTEGER, decode($parquet, 'base64'))`,
      { version: stamp.version, rows: p.part.rows, parquet: p.part.parquet },
    );
  await tx.run(
    `INSERT INTO published_usage_months (waba_id, local_month, version, analytics_id, published_at)
     SELECT e->>'waba_id', (e->>'month')::DATE, $version::BIGINT, $id, $now::TIMESTAMPTZ
       FROM json_array_elements($months::JSON) AS r(e)
     ON CONFLICT (waba_id, local_month) DO UPDATE SET version = excluded.version,
       analytics_id = excluded.analytics_id, published_at = excluded.published_at`,
    { months, ...stamp },
  );
  await dropUnusedParts(tx);
  if (p.feed.length === 0) return;
  await tx.run(
    `INSERT INTO published_data_feed (phone_number_id, waba_id, data_through, received_at, version)
     SELECT e->>'phone_number_id', e->>'waba_id', (e->>'data_through')::TIMESTAMPTZ,
            (e->>'received_at')::TIMESTAMPTZ, $version::BIGINT
       FROM json_array_elements($feed::JSON) AS r(e)
     ON CONFLICT (phone_number_id) DO UPDATE SET waba_id = excluded.waba_id,
       data_through = excluded.data_through, received_at = excluded.received_at, version = excluded.version
     WHERE (published_data_feed.waba_id, published_data_feed.data_through, published_data_feed.received_at)
       IS DISTINCT FROM (excluded.waba_id, excluded.data_through, excluded.received_at)`,
    { feed: `[${p.feed.join(',')}]`, version: stamp.version },
  );
}

/** Parts whose every month was published again since (or emptied) hold no rows anyone reads. */
async function dropUnusedParts(tx: Queryable): Promise<void> {
  await tx.run(
    `DELETE FROM published_usage_parts p
      WHERE NOT EXISTS (SELECT 1 FROM published_usage_months m WHERE m.version = p.version)`,
  );
}

/** Removes the marks of the months published, unless a rebuild marked one again since it was read. */
async function unmark(db: Db, group: readonly Mark[]): Promise<void> {
  await db.run(
    `DELETE FROM rollup_changes WHERE (waba_id, local_month, change) IN
       (SELECT unnest($wabas), CAST(unnest($months) AS DATE), CAST(unnest($changes) AS BIGINT))`,
    { ...monthsParams(group), changes: group.map((m) => m.change) },
  );
}
