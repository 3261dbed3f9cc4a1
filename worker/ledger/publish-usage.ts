/**
 * The usage source publishes its rollups to the money plane, for the replicas that are not it: they hold no
 * units, so they answer usage from what the source published (published-usage-copy.ts). What to publish is
 * what rollup_changes names (written with the rollups, usage/rebuild-rollups.ts): each (WABA, local month)'s
 * daily rows replace the published ones in one money transaction stamped with the next version, then its mark
 * is removed unless the month changed again meanwhile. A stop between the analytics commit and the publication
 * leaves the mark: the next publication (after the next commit, the next pass of the follower, or the next
 * start) carries it. Publishing a month twice writes the same rows twice. A store that is not the source never
 * publishes: the claim is checked in the publishing transaction. With one store (STORE=duckdb) nothing is
 * published and the marks are dropped.
 */
import type { Db, Queryable } from '../db/db.js';
import { planesSplit } from '../db/planes.js';
import { analyticsId } from './usage-source.js';

/** Daily rows sent in one money transaction at most (whole months: one month may exceed it alone). */
const ROWS_PER_PUBLICATION = 20_000;

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
    const daily = await dailyRows(db, group);
    const feed = await feedRows(db, group);
    const stamped = await money.transaction(async (tx) => {
      if (!(await stillSource(tx, id))) return null;
      const v = await nextVersion(tx, id, now);
      if (i === 0 && replacing) await emptyOthers(tx, id, v, now);
      await writeMonths(tx, { id, version: v, now, months: group, daily, feed });
      return v;
    });
    if (stamped === null) return { months, rows, version, skipped: 'not_usage_source' };
    version = stamped;
    months += group.length;
    rows += daily.rows;
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

/** Whole months, in groups of about ROWS_PER_PUBLICATION daily rows. */
function groupsOf(marks: readonly Mark[], sizes: ReadonlyMap<string, number>): Mark[][] {
  const groups: Mark[][] = [];
  let current: Mark[] = [];
  let size = 0;
  for (const m of marks) {
    const n = sizes.get(`${m.waba_id}|${m.month}`) ?? 0;
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

/** The daily rollup columns, in the order of the published table. */
const DAILY_COLUMNS = [
  'waba_id',
  'phone_number_id',
  'local_day',
  'local_month',
  'category',
  'country',
  'market',
  'pricing_type',
  'unit',
  'currency',
  'n_all',
  'n_free',
  'n_paid',
  'n_unpriced',
  'amount',
] as const;
/** Separates the values of one column in its text (the unit separator, in no id, code or number). */
const SEP = 'chr(31)';
/** Columns that may be NULL: sent as '' and read back as NULL ('' is none of their values). */
const NULLABLE = new Set(['country', 'market', 'n_unpriced']);

interface DailyColumns {
  readonly rows: number;
  /** Each column's values in one text, in the same row order for every column. */
  readonly texts: Record<(typeof DAILY_COLUMNS)[number], string>;
}

/**
 * The months' daily rollup rows as one text per column, joined by DuckDB and split by the money store: neither
 * Node nor the Postgres driver handles a value one by one (123k rows took 4.6 s as JSON objects, most of it
 * in JavaScript), and Postgres parses nothing per field.
 */
async function dailyRows(db: Queryable, group: readonly Mark[]): Promise<DailyColumns> {
  const text: Record<(typeof DAILY_COLUMNS)[number], string> = {
    waba_id: 'waba_id',
    phone_number_id: 'phone_number_id',
    local_day: `strftime(local_day, '%Y-%m-%d')`,
    local_month: `strftime(local_month, '%Y-%m-%d')`,
    category: 'CAST(category AS VARCHAR)',
    country: `coalesce(country, '')`,
    market: `coalesce(market, '')`,
    pricing_type: 'CAST(pricing_type AS VARCHAR)',
    unit: 'CAST(unit AS VARCHAR)',
    currency: 'currency',
    n_all: 'CAST(n_all AS VARCHAR)',
    n_free: 'CAST(n_free AS VARCHAR)',
    n_paid: 'CAST(n_paid AS VARCHAR)',
    n_unpriced: `coalesce(CAST(n_unpriced AS VARCHAR), '')`,
    amount: 'CAST(amount AS VARCHAR)',
  };
  const [row] = await db.all<Record<string, string | number | null>>(
    `WITH d AS (SELECT row_number() OVER () AS rn, * FROM usage_daily WHERE ${IN_GROUP})
     SELECT count(*)::INTEGER AS n,
            bool_or(${DAILY_COLUMNS.map((c) => `contains(${text[c]}, ${SEP})`).join(' OR ')}) AS clash,
            ${DAILY_COLUMNS.map((c) => `coalesce(string_agg(${text[c]}, ${SEP} ORDER BY rn), '') AS ${c}`).join(', ')}
       FROM d`,
    monthsParams(group),
  );
  if (row?.clash) throw new Error('a published usage value holds the column separator (U+001F)');
  const texts = Object.fromEntries(
    DAILY_COLUMNS.map((c) => [c, String(row?.[c] ?? '')]),
  ) as DailyColumns['texts'];
  return { rows: Number(row?.n ?? 0), texts };
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
    `DELETE FROM published_usage_daily d USING published_usage_months m
      WHERE m.waba_id = d.waba_id AND m.local_month = d.local_month AND m.analytics_id <> $id`,
    { id },
  );
  await tx.run(
    `UPDATE published_usage_months SET version = $version::BIGINT, analytics_id = $id,
            published_at = $now::TIMESTAMPTZ
      WHERE analytics_id <> $id`,
    { id, version: String(version), now: now.toISOString() },
  );
}

async function writeMonths(
  tx: Queryable,
  p: {
    id: string;
    version: number;
    now: Date;
    months: readonly Mark[];
    daily: DailyColumns;
    feed: readonly string[];
  },
): Promise<void> {
  const stamp = { id: p.id, version: String(p.version), now: p.now.toISOString() };
  const months = JSON.stringify(p.months.map((m) => ({ waba_id: m.waba_id, month: m.month })));
  await tx.run(
    `DELETE FROM published_usage_daily d USING json_array_elements($months::JSON) AS r(e)
      WHERE d.waba_id = e->>'waba_id' AND d.local_month = (e->>'month')::DATE`,
    { months },
  );
  if (p.daily.rows > 0) {
    const value = (c: (typeof DAILY_COLUMNS)[number]) => (NULLABLE.has(c) ? `nullif(${c}, '')` : c);
    await tx.run(
      `INSERT INTO published_usage_daily
       SELECT waba_id, phone_number_id, local_day::DATE, local_month::DATE, category, ${value('country')},
              ${value('market')}, pricing_type, unit, currency, n_all::BIGINT, n_free::BIGINT, n_paid::BIGINT,
              ${value('n_unpriced')}::BIGINT, amount::NUMERIC(38, 6)
         FROM (SELECT ${DAILY_COLUMNS.map((c) => `unnest(string_to_array($${c}, ${SEP})) AS ${c}`).join(', ')}) d`,
      p.daily.texts,
    );
  }
  await tx.run(
    `INSERT INTO published_usage_months (waba_id, local_month, version, analytics_id, published_at)
     SELECT e->>'waba_id', (e->>'month')::DATE, $version::BIGINT, $id, $now::TIMESTAMPTZ
       FROM json_array_elements($months::JSON) AS r(e)
     ON CONFLICT (waba_id, local_month) DO UPDATE SET version = excluded.version,
       analytics_id = excluded.analytics_id, published_at = excluded.published_at`,
    { months, ...stamp },
  );
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

/** Removes the marks of the months published, unless a rebuild marked one again since it was read. */
async function unmark(db: Db, group: readonly Mark[]): Promise<void> {
  await db.run(
    `DELETE FROM rollup_changes WHERE (waba_id, local_month, change) IN
       (SELECT unnest($wabas), CAST(unnest($months) AS DATE), CAST(unnest($changes) AS BIGINT))`,
    { ...monthsParams(group), changes: group.map((m) => m.change) },
  );
}
