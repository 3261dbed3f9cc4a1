/**
 * Applies pg-migrations/*.sql not yet recorded, in name order, in one transaction. Several processes may start
 * at once: each takes the same transaction-scoped advisory lock first, so one applies and the others then find
 * the files recorded. The transaction is READ COMMITTED because a SERIALIZABLE one would keep the snapshot it
 * took before waiting for the lock and not see what the lock's holder committed. Postgres DDL is transactional:
 * a failing file leaves nothing of the run behind.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgStore } from './pg-store.js';

export const PG_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'pg-migrations');

/** The advisory lock key of the migrations (any fixed 64-bit number no other code uses). */
const MIGRATION_LOCK = '7426190001';

/** Returns the names of the files it applied (none when the store was up to date). */
export async function migratePg(db: PgStore, dir: string = PG_MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const bodies = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
  return db.transaction(
    async (tx) => {
      await tx.run('SELECT pg_advisory_xact_lock($key::BIGINT)', { key: MIGRATION_LOCK });
      await tx.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)',
      );
      const done = new Set(
        (await tx.all<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
      );
      const applied: string[] = [];
      for (const [i, f] of files.entries()) {
        if (done.has(f)) continue;
        await tx.run(bodies[i]!);
        await tx.run('INSERT INTO schema_migrations VALUES ($name, now())', { name: f });
        applied.push(f);
      }
      return applied;
    },
    { isolation: 'read committed' },
  );
}
