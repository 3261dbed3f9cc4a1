/**
 * One tenancy write across the two planes: the money plane (the truth, read by every auth and access check)
 * commits first; then, in one analytics transaction, the rows it changed are copied into the analytics mirror
 * and what must follow them there runs (the lake's reference change log, a re-pricing). A process stopped between
 * the two commits leaves the mirror behind the truth, never ahead of it, and the startup refresh
 * (refreshTenancyMirror) catches it up. With one store (STORE=duckdb) everything is one transaction and nothing
 * is copied.
 */
import type { Db, Queryable } from '../db/db.js';
import { mirrorTenancyRows, type TenancyKeys } from './mirror-tenancy.js';

/** The two planes (AppDeps has both). */
export interface TenancyPlanes {
  /** The analytics plane. */
  readonly db: Db;
  /** The money plane: the same object as `db` with STORE=duckdb. */
  readonly money: Db;
}

export interface TenancyWrite<T> {
  /** The write, in a money transaction. */
  readonly write: (tx: Queryable) => Promise<T>;
  /** The mirrored rows the write changed (none: API keys and origins, which live in the money plane only). */
  readonly changed?: (result: T) => TenancyKeys;
  /** What follows in the analytics transaction, after the mirror is up to date (the lake, a re-pricing). */
  readonly analytics?: (tx: Queryable, result: T) => Promise<unknown>;
}

export async function writeTenancy<T>(planes: TenancyPlanes, w: TenancyWrite<T>): Promise<T> {
  const { db, money } = planes;
  if (money === db)
    return db.transaction(async (tx) => {
      const result = await w.write(tx);
      await w.analytics?.(tx, result);
      return result;
    });
  const result = await money.transaction(w.write);
  const keys = w.changed?.(result) ?? {};
  if (w.analytics || Object.values(keys).some((k) => k.length > 0))
    await db.transaction(async (tx) => {
      await mirrorTenancyRows(money, tx, keys);
      await w.analytics?.(tx, result);
    });
  return result;
}
