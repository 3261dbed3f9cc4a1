/**
 * Small side tables that let the bulk ingest price units while it reads them (one INSERT, hash joins only),
 * with the same results as priceUnits:
 * - `ingest_market_spans`: the market and country of every leading-digit key of up to the longest prefix length
 *   of market_prefixes (11,110 keys for the shipped 4-digit table), split into date spans (marketSpansSql);
 * - `ingest_card_days`: the card in force per (currency, pricing model, day) from the first card's start to the
 *   last card's start; a later day is looked up at that last start (the card in force never changes after it);
 * - `ingest_rates`: the flat rate per (card, market, category), authentication_international falling back to
 *   the domestic authentication rate where a card has no international one.
 */
import type { Queryable } from '../db/db.js';
import { marketSpansSql } from './market-sql.js';

export const MARKET_SPANS = 'ingest_market_spans';
export const CARD_DAYS = 'ingest_card_days';
export const RATES = 'ingest_rates';

/** Keys of every length up to 6 digits stay cheap (1.1 M at most); longer prefixes are not shipped. */
const MAX_KEY_LENGTH = 6;

export interface PriceLookups {
  /** Units join the spans on left(recipient digits, keyLength). */
  readonly keyLength: number;
  /** Days after this one price as this day ('YYYY-MM-DD'); NULL when there is no card at all. */
  readonly calendarEnd: string | null;
}

/** Builds the three temp tables inside the caller's transaction (pricing data must be seeded). */
export async function buildPriceLookups(tx: Queryable): Promise<PriceLookups> {
  const [k] = await tx.all<{ n: number | null }>(
    'SELECT max(length(prefix))::INTEGER AS n FROM market_prefixes',
  );
  const keyLength = Math.max(1, k?.n ?? 1);
  if (keyLength > MAX_KEY_LENGTH)
    throw new Error(
      `market prefixes longer than ${MAX_KEY_LENGTH} digits are not supported by the bulk ingest`,
    );
  const keys = Array.from(
    { length: keyLength },
    (_, i) => `SELECT lpad(CAST(range AS VARCHAR), ${i + 1}, '0') AS pk FROM range(${10 ** (i + 1)})`,
  ).join(' UNION ALL ');
  await tx.run(`CREATE OR REPLACE TEMP TABLE ${MARKET_SPANS} AS ${marketSpansSql(keys)}`);

  const [span] = await tx.all<{ lo: string | null; hi: string | null }>(
    `SELECT strftime(min(effective_from), '%Y-%m-%d') AS lo, strftime(max(effective_from), '%Y-%m-%d') AS hi
       FROM rate_cards`,
  );
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ${CARD_DAYS} AS
     SELECT c.currency, c.pricing_model, d.day AS local_day, arg_max(c.card_id, c.effective_from) AS card_id
       FROM (SELECT CAST(unnest(generate_series(CAST($lo AS DATE), CAST($hi AS DATE), INTERVAL 1 DAY)) AS DATE) AS day) d
       JOIN rate_cards c ON c.effective_from <= d.day
      GROUP BY ALL`,
    { lo: span?.lo ?? '1970-01-01', hi: span?.hi ?? '1970-01-01' },
  );

  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ${RATES} AS
     SELECT card_id, market, category, rate FROM rate_card_rates
     UNION ALL
     SELECT a.card_id, a.market, 'authentication_international', a.rate FROM rate_card_rates a
      WHERE a.category = 'authentication' AND NOT EXISTS (
        SELECT 1 FROM rate_card_rates b
         WHERE b.card_id = a.card_id AND b.market = a.market AND b.category = 'authentication_international')`,
  );
  return { keyLength, calendarEnd: span?.hi ?? null };
}

export async function dropPriceLookups(tx: Queryable): Promise<void> {
  for (const t of [MARKET_SPANS, CARD_DAYS, RATES]) await tx.run(`DROP TABLE IF EXISTS temp.${t}`);
}
