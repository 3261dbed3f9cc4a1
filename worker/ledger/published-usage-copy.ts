/**
 * A replica that is not the usage source answers usage from a copy of what the source published
 * (publish-usage.ts), kept in its own analytics store in the rollups' shape (published_usage_daily, _monthly,
 * published_data_feed), so the usage and charges queries read it as they read the rollups. The copy remembers
 * the version it holds; a catch-up reads, in one snapshot of the money plane, the months, parts and feed rows
 * stamped above it, and replaces them in one analytics transaction: each month's daily rows read from the
 * Parquet part of its version, the monthly rows summed from them exactly as the source's rollups are
 * (usage/rebuild-rollups.ts).
 */
import type { Db, Queryable } from '../db/db.js';

export interface CopyReport {
  readonly version: number;
  readonly months: number;
  readonly rows: number;
}

/** The version this store's copy holds (0: nothing copied yet). */
export async function copiedVersion(db: Queryable): Promise<number> {
  const [row] = await db.all<{ version: string }>('SELECT version FROM published_usage_copy');
  return row ? Number(row.version) : 0;
}

/** The published head's version (0: nothing published yet). */
export async function publishedVersion(money: Queryable): Promise<number> {
  const [row] = await money.all<{ version: string }>('SELECT version FROM published_usage_head');
  return row ? Number(row.version) : 0;
}

interface Published {
  readonly version: number;
  readonly analyticsId: string;
  /** [{waba_id, month, version}] of every month stamped above the copy's version. */
  readonly months: string;
  /** The parts those months point to: their version and Parquet (base64). */
  readonly parts: readonly { readonly version: string; readonly parquet: string }[];
  readonly feed: string;
  readonly monthCount: number;
  readonly rowCount: number;
}

const ISO_MICROS = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** What was published above `after`, in one snapshot; null when nothing was. */
async function readPublished(money: Db, after: number): Promise<Published | null> {
  return money.transaction(async (tx) => {
    const [head] = await tx.all<{ version: string; analytics_id: string }>(
      'SELECT version, analytics_id FROM published_usage_head',
    );
    if (!head || Number(head.version) <= after) return null;
    const since = { after: String(after) };
    const [months] = await tx.all<{ j: string | null; n: number }>(
      `SELECT json_agg(json_build_object('waba_id', waba_id, 'month', local_month::TEXT,
                'version', version::TEXT))::TEXT AS j, count(*)::INTEGER AS n
         FROM published_usage_months WHERE version > $after::BIGINT`,
      since,
    );
    const parts = await tx.all<{ version: string; parquet: string; rows: number }>(
      `SELECT version::TEXT AS version, encode(parquet, 'base64') AS parquet, rows
         FROM published_usage_parts WHERE version > $after::BIGINT ORDER BY version`,
      since,
    );
    const [feed] = await tx.all<{ j: string | null }>(
      `SELECT json_agg(json_build_object('phone_number_id', phone_number_id, 'waba_id', waba_id,
                'data_through', to_char(data_through AT TIME ZONE 'UTC', ${ISO_MICROS}),
                'received_at', to_char(received_at AT TIME ZONE 'UTC', ${ISO_MICROS})))::TEXT AS j
         FROM published_data_feed WHERE version > $after::BIGINT`,
      since,
    );
    return {
      version: Number(head.version),
      analyticsId: head.analytics_id,
      months: months?.j ?? '[]',
      parts: parts.map((p) => ({ version: p.version, parquet: p.parquet })),
      feed: feed?.j ?? '[]',
      monthCount: Number(months?.n ?? 0),
      rowCount: parts.reduce((n, p) => n + Number(p.rows), 0),
    };
  });
}

const IN_MONTHS = `(waba_id, local_month) IN
  (SELECT e->>'waba_id', CAST(e->>'month' AS DATE) FROM json_array_elements($months) AS r(e))`;
/** The months of one part: those whose version is the part's (the others it held were published again since). */
const PART_MONTHS = `(waba_id, local_month) IN
  (SELECT e->>'waba_id', CAST(e->>'month' AS DATE) FROM json_array_elements($months) AS r(e)
    WHERE e->>'version' = $version)`;

/** Replaces the copied months and feed rows by those published above the copy's version. */
async function applyPublished(db: Db, p: Published, now: Date): Promise<CopyReport> {
  const apply = (paths: readonly string[]) =>
    db.transaction(async (tx) => {
      // Another catch-up may have committed while this one read: never step back.
      if ((await copiedVersion(tx)) >= p.version) return { version: p.version, months: 0, rows: 0 };
      await tx.run(`DELETE FROM published_usage_daily WHERE ${IN_MONTHS}`, { months: p.months });
      await tx.run(`DELETE FROM published_usage_monthly WHERE ${IN_MONTHS}`, { months: p.months });
      for (const [i, part] of p.parts.entries())
        await tx.run(
          `INSERT INTO published_usage_daily
             SELECT waba_id, phone_number_id, local_day, local_month, category, country, market, pricing_type,
                    unit, currency, n_all, n_free, n_paid, n_unpriced, amount
               FROM read_parquet($path) WHERE ${PART_MONTHS}`,
          { path: paths[i]!, months: p.months, version: part.version },
        );
      await tx.run(
        `INSERT INTO published_usage_monthly
             (waba_id, phone_number_id, local_month, category, country, market, pricing_type, unit, currency,
              n_all, n_free, n_paid, n_unpriced, amount)
           SELECT waba_id, phone_number_id, local_month, category, country, market, pricing_type, unit, currency,
                  sum(n_all), sum(n_free), sum(n_paid), sum(n_unpriced), sum(amount)
             FROM published_usage_daily WHERE ${IN_MONTHS}
            GROUP BY ALL`,
        { months: p.months },
      );
      await tx.run(
        `INSERT OR REPLACE INTO published_data_feed
           SELECT e->>'phone_number_id', e->>'waba_id', CAST(e->>'data_through' AS TIMESTAMPTZ),
                  CAST(e->>'received_at' AS TIMESTAMPTZ)
             FROM json_array_elements($feed) AS r(e)`,
        { feed: p.feed },
      );
      await tx.run(
        `INSERT OR REPLACE INTO published_usage_copy (one, version, analytics_id, copied_at)
           VALUES (TRUE, $version, $id, CAST($now AS TIMESTAMPTZ))`,
        { version: BigInt(p.version), id: p.analyticsId, now: now.toISOString() },
      );
      return { version: p.version, months: p.monthCount, rows: p.rowCount };
    });
  if (p.parts.length === 0) return apply([]);
  if (!db.withParquetFiles)
    throw new Error('copying published usage needs an analytics store that reads Parquet');
  return db.withParquetFiles(
    p.parts.map((part) => part.parquet),
    apply,
  );
}

/** Catch-ups of one store take turns; one asked while another runs waits for it, then looks again. */
const running = new WeakMap<object, Promise<CopyReport | null>>();

/** Brings this store's copy up to the published head; null when it already was. */
export function copyPublishedUsage(
  stores: { readonly db: Db; readonly money: Db },
  now: Date,
): Promise<CopyReport | null> {
  const before = running.get(stores.db) ?? Promise.resolve(null);
  const mine = before
    .catch(() => null)
    .then(async () => {
      const published = await readPublished(stores.money, await copiedVersion(stores.db));
      return published ? applyPublished(stores.db, published, now) : null;
    });
  running.set(stores.db, mine);
  return mine;
}
