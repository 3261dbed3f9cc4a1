/**
 * Prepared statements kept per reader connection, keyed by their SQL text. The API's reads are a few fixed
 * statements run over and over with new values; preparing one (parse, bind, plan) costs about as much as running
 * it on the small rollup and tenancy tables, and one DuckDB round trip of a request is spared. Only used under the
 * connection's lock: a statement runs once at a time, and one evicted is never in use.
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';

/** Statements kept per connection; the least recently used one goes first. */
const MAX_STATEMENTS = 64;

export class PreparedCache {
  private readonly statements = new Map<string, DuckDBPreparedStatement>();

  constructor(private readonly conn: DuckDBConnection) {}

  /** The prepared statement of `sql`, or null when it is not one statement (it then runs unprepared). */
  async get(sql: string): Promise<DuckDBPreparedStatement | null> {
    const hit = this.statements.get(sql);
    if (hit) {
      this.statements.delete(sql);
      this.statements.set(sql, hit);
      return hit;
    }
    const extracted = await this.conn.extractStatements(sql);
    if (extracted.count !== 1) return null;
    const prepared = await extracted.prepare(0);
    this.statements.set(sql, prepared);
    if (this.statements.size > MAX_STATEMENTS) {
      const [oldest] = this.statements;
      if (oldest) {
        this.statements.delete(oldest[0]);
        oldest[1].destroySync();
      }
    }
    return prepared;
  }
}
