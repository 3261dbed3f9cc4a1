/**
 * A fingerprint of everything a store holds: per table, its row count and a hash of its rows in a fixed
 * order. Two equal fingerprints mean no table gained, lost or changed a row in between.
 */
import type { Queryable } from '../../worker/db/db.js';

export async function storeFingerprint(db: Queryable): Promise<Record<string, string>> {
  const tables = await db.all<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema IN ('main', 'public') AND table_catalog = current_database()
      ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    // Table names come from the catalogue, not from input; quoted as identifiers all the same.
    const ident = `"${name.replace(/"/g, '""')}"`;
    const [r] = await db.all<{ n: string; h: string | null }>(
      `SELECT count(*)::VARCHAR AS n, md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) AS h FROM ${ident} t`,
    );
    out[name] = `${r!.n} ${r!.h ?? '-'}`;
  }
  return out;
}
