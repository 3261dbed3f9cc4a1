/**
 * The tables a rebuild takes from a copy of the store rather than from the lake: who the partners are, their
 * WABAs (zone, currency, PMP switch, portfolio) and numbers, and the markets and rate cards in force. The lake
 * holds what was ingested; these say how it is counted and priced, and they change through the API, not ingest.
 */
import type { Db } from '../db/db.js';
import { sqlString } from '../kernel/sql-literal.js';

/** In the order their foreign keys need. */
export const REFERENCE_TABLES = [
  'partners',
  'api_keys',
  'partner_origins',
  'wabas',
  'phone_numbers',
  'pricing_seed',
  'market_prefixes',
  'rate_cards',
  'rate_card_rates',
  'rate_card_tiers',
] as const;

/** Replaces the reference tables of the open (fresh) store with those of the DuckDB file at `path`. */
export async function copyReference(db: Db, path: string): Promise<Record<string, number>> {
  await db.run(`ATTACH ${sqlString(path)} AS rebuild_ref (READ_ONLY)`);
  try {
    return await db.transaction(async (tx) => {
      for (const t of [...REFERENCE_TABLES].reverse()) await tx.run(`DELETE FROM ${t}`);
      const counts: Record<string, number> = {};
      for (const t of REFERENCE_TABLES) {
        await tx.run(`INSERT INTO ${t} SELECT * FROM rebuild_ref.${t}`);
        const [r] = await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${t}`);
        counts[t] = r?.n ?? 0;
      }
      return counts;
    });
  } finally {
    await db.run('DETACH rebuild_ref');
  }
}
