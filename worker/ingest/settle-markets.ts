/**
 * The recipient's number decides a unit's market (DOMAIN.md §2.5), not the record: a landed record whose
 * `market` differs from the market of its recipient_wa_id on its local day is corrected, keeps what it said in
 * market_reported, and is counted (the ingest answer's market_mismatch). Records without a market are left to
 * pricing, which looks their numbers up the same way.
 */
import type { Queryable } from '../db/db.js';
import { marketSpansSql, prefixKeyLength } from '../pricing/market-sql.js';
import { OTHER_MARKET } from '../pricing/market-table.js';
import { priceUnits } from '../pricing/price-units.js';
import { normalizeScope, type WabaMonth } from '../kernel/waba-month.js';

export interface MarketCheck {
  /** Records whose market disagreed with their recipient's number. */
  readonly mismatched: number;
  /** Their months. */
  readonly months: WabaMonth[];
}

/**
 * Corrects the markets of batch `seq`'s rows from their numbers and prices the corrected rows again (they landed
 * at the named market's rate); the other rows of their months landed priced by the same rules, so only these
 * are rewritten (volume tiers are counted again for the whole months after the free-tier ranking). Call it
 * after noting the batch's rows without market or country: pricing gives them theirs.
 */
export async function settleMarkets(tx: Queryable, seq: number): Promise<MarketCheck> {
  const params = { seq };
  // Landed numbers are digits only (landUnits checked them and cut the '+'): the key is their leading digits,
  // without prefixKeySql's test for other characters (two regular expressions per row over the batch).
  const key = `left(u.recipient_wa_id, ${await prefixKeyLength(tx)})`;
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE settle_spans AS
     ${marketSpansSql(`SELECT ${key} AS pk FROM units u
                        WHERE u.batch_seq = $seq AND u.market IS NOT NULL`)}`,
    params,
  );
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE settle_market_fix AS
     SELECT u.rowid AS rid, u.waba_id, u.local_month, u.market AS reported,
            COALESCE(sp.market, '${OTHER_MARKET}') AS derived, sp.country
       FROM units u
       LEFT JOIN settle_spans sp
         ON sp.pk = ${key} AND u.local_day >= sp.lo AND u.local_day < sp.hi
      WHERE u.batch_seq = $seq AND u.market IS NOT NULL
        AND u.market <> COALESCE(sp.market, '${OTHER_MARKET}')`,
    params,
  );
  const [n] = await tx.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM settle_market_fix');
  const mismatched = n?.n ?? 0;
  let months: WabaMonth[] = [];
  if (mismatched > 0) {
    months = await tx.all<WabaMonth>(
      `SELECT DISTINCT waba_id, strftime(local_month, '%Y-%m-%d') AS month FROM settle_market_fix`,
    );
    await tx.run(
      `UPDATE units SET market = f.derived, market_reported = f.reported,
                        recipient_country = COALESCE(units.recipient_country, f.country)
         FROM settle_market_fix f WHERE units.rowid = f.rid`,
    );
    // At the flat rate: settleBatch counts the volume tiers of every month of the batch afterwards.
    await priceUnits(tx, normalizeScope(months), 'SELECT rid FROM settle_market_fix', {
      volumeTiers: 'later',
    });
  }
  await tx.run('DROP TABLE settle_market_fix');
  await tx.run('DROP TABLE settle_spans');
  return { mismatched, months };
}
