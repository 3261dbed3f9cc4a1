/**
 * The market check of DOMAIN.md §2.5 (the recipient's number decides the market) as a lookup the landing INSERT
 * makes per row, instead of a range join, an UPDATE and a second pricing of the corrected rows after landing.
 * Corrected rows are then written once, already right: settling changes fewer rows, and its commit folds fewer
 * changed columns into the file.
 *
 * The lookup is the one of market-sql.ts, tabulated: every span key (the number's leading digits, as many as the
 * longest prefix has) that some prefix matches is listed, and the key's market is resolved once per period
 * between two consecutive effective dates of the table (a key's spans only split at those dates). A row's key is
 * cast to a temporary ENUM of the keys (a hash lookup, no join: the INSERT keeps its input order) and its code,
 * with the period of its local day, cuts the market's number out of one text of fixed-width fields. A key no
 * prefix matches is Other, as in marketSpansSql.
 *
 * A table whose keys or dates would make the lookup large (long prefixes under short ones) gets none: the landed
 * rows then keep their markets and settleMarkets checks them after landing, as it always could.
 *
 * Resolving the keys' markets costs about a tenth of a second whatever the batch's size, which a one-row batch
 * (a webhook micro-batch, a refused body) would pay every time. The tabulation depends on nothing but the rows of
 * market_prefixes, so it is kept under a digest of those rows and made again only when they change; the ENUM, a
 * catalog entry of the batch's own transaction, is still made per batch.
 */
import type { Queryable } from '../db/db.js';
import { sqlString } from '../kernel/sql-literal.js';
import { marketSpansSql, prefixKeyLength } from '../pricing/market-sql.js';
import { OTHER_MARKET } from '../pricing/market-table.js';

export const MARKET_KEY_TYPE = 'ingest_span_key';
const KEYS_TABLE = 'ingest_span_keys';
const SPANS_TABLE = 'ingest_span_markets';

/** Past this many keys (10^(length difference) per short prefix) or effective dates, the check is left to settling. */
const MAX_KEYS = 100_000;
const MAX_DATES = 32;

/** What the tabulation yields for one content of market_prefixes. */
interface Tabulated {
  readonly names: readonly string[];
  readonly dates: readonly string[];
  /** Key × period fields, the sentinel's included. */
  readonly fields: string;
  readonly width: number;
}

/** By digest of market_prefixes' rows: a few entries, as the table rarely changes. */
const tabulations = new Map<string, Tabulated | null>();
const KEEP_TABULATIONS = 4;

export interface MarketLookup {
  /** SQL expression: the market of the row (alias `u`, with recipient_wa_id digits only and local_day). */
  sql(u: string): string;
  readonly params: { readonly market_names: readonly string[]; readonly market_fields: string };
}

const DIGITS = `regexp_full_match(prefix, '[0-9]+')`;

/** The tabulated lookup, or null when the table is too large for it (settleMarkets then checks the rows). */
export async function marketLookup(tx: Queryable): Promise<MarketLookup | null> {
  const keyLength = await prefixKeyLength(tx);
  const [size] = await tx.all<{ keys: number | null }>(
    `SELECT sum(pow(10, ${keyLength} - length(prefix)))::DOUBLE AS keys
       FROM (SELECT DISTINCT prefix FROM market_prefixes WHERE ${DIGITS} AND length(prefix) <= ${keyLength})`,
  );
  if (Number(size?.keys ?? 0) > MAX_KEYS) return null;
  // Every key some prefix matches: the prefix followed by each possible rest of its digits.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ${KEYS_TABLE} AS
     SELECT DISTINCT prefix || lpad(CAST(n AS VARCHAR), CAST(${keyLength} - length(prefix) AS INTEGER), '0') AS pk FROM (
       SELECT prefix, unnest(range(0, CAST(pow(10, ${keyLength} - length(prefix)) AS BIGINT))) AS n
         FROM (SELECT DISTINCT prefix FROM market_prefixes WHERE ${DIGITS} AND length(prefix) <= ${keyLength}))`,
  );
  const digest = await prefixesDigest(tx);
  let tabulated = tabulations.get(digest);
  if (tabulated === undefined) {
    tabulated = await tabulate(tx);
    tabulations.set(digest, tabulated);
    for (const old of tabulations.keys()) if (tabulations.size > KEEP_TABULATIONS) tabulations.delete(old);
  }
  if (tabulated) {
    await tx.run(`DROP TYPE IF EXISTS ${MARKET_KEY_TYPE}`);
    await tx.run(
      `CREATE TYPE ${MARKET_KEY_TYPE} AS ENUM (
         SELECT pk FROM (SELECT '' AS pk UNION ALL SELECT pk FROM ${KEYS_TABLE}) ORDER BY pk)`,
    );
  }
  await tx.run(`DROP TABLE ${KEYS_TABLE}`);
  if (!tabulated) return null;
  const { names, dates, fields, width } = tabulated;
  const periods = dates.length + 1;
  const period = (u: string) =>
    dates.length === 0
      ? '0'
      : `CASE ${dates
          .map((d, i) => `WHEN ${u}.local_day >= DATE ${sqlString(d)} THEN ${i + 1}`)
          .reverse()
          .join(' ')} ELSE 0 END`;
  return {
    // enum_code is as narrow as the ENUM: widened before multiplying.
    sql: (u) => `COALESCE(list_extract($market_names, CAST(substr($market_fields,
        (CAST(enum_code(TRY_CAST(left(${u}.recipient_wa_id, ${keyLength}) AS ${MARKET_KEY_TYPE})) AS BIGINT) * ${periods}
         + ${period(u)}) * ${width} + 1, ${width}) AS INTEGER)), ${sqlString(OTHER_MARKET)})`,
    params: { market_names: names, market_fields: fields },
  };
}

/** A digest of every market_prefixes row (all the tabulation reads). */
async function prefixesDigest(tx: Queryable): Promise<string> {
  const [row] = await tx.all<{ digest: string | null; n: number }>(
    `SELECT md5(string_agg(concat_ws('|', prefix, market, country, effective_from, effective_to), chr(10)
                           ORDER BY prefix, market, country, effective_from, effective_to)) AS digest,
            count(*)::INTEGER AS n
       FROM market_prefixes`,
  );
  return `${row?.n ?? 0}:${row?.digest ?? ''}`;
}

/** Resolves every key of KEYS_TABLE once per period between the table's effective dates; null when the dates are too many. */
async function tabulate(tx: Queryable): Promise<Tabulated | null> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ${SPANS_TABLE} AS ${marketSpansSql(`SELECT pk FROM ${KEYS_TABLE}`)}`,
  );
  const dates = (
    await tx.all<{ d: string }>(
      `SELECT DISTINCT strftime(lo, '%Y-%m-%d') AS d, lo FROM ${SPANS_TABLE}
        WHERE lo > DATE '-infinity' ORDER BY lo`,
    )
  ).map((r) => r.d);
  const names = (
    await tx.all<{ market: string }>(
      `SELECT DISTINCT market FROM ${SPANS_TABLE} WHERE market IS NOT NULL ORDER BY market`,
    )
  ).map((r) => r.market);
  if (dates.length > MAX_DATES) {
    await tx.run(`DROP TABLE ${SPANS_TABLE}`);
    return null;
  }
  const width = String(names.length).length;
  const periods = dates.length + 1;
  // Key i (its ENUM code; 0 is the sentinel, whose fields are zeros) × period j → 1-based market number, 0 = Other.
  const [text] = await tx.all<{ fields: string | null }>(
    `WITH k AS (SELECT pk, row_number() OVER (ORDER BY pk) AS i FROM ${KEYS_TABLE}),
     p AS (SELECT unnest(range(0, ${periods})) AS j,
                  unnest([DATE '-infinity', ${dates.map((d) => `DATE ${sqlString(d)}`).join(', ')}]) AS start)
     SELECT string_agg(lpad(CAST(COALESCE(list_position($names, s.market), 0) AS VARCHAR), ${width}, '0'), ''
                       ORDER BY k.i, p.j) AS fields
       FROM k CROSS JOIN p
       LEFT JOIN ${SPANS_TABLE} s ON s.pk = k.pk AND s.lo <= p.start AND p.start < s.hi`,
    { names },
  );
  await tx.run(`DROP TABLE ${SPANS_TABLE}`);
  return { names, dates, width, fields: '0'.repeat(width * periods) + (text?.fields ?? '') };
}
