/**
 * The two planes a cross-plane step reads: usage on the analytics plane (DuckDB), the ledger and the truth of
 * tenancy on the money plane (the same DuckDB store with STORE=duckdb, a Postgres-SQL store otherwise). Such a
 * step never joins the two in one statement: it reads each side with its own query and combines them in code,
 * so it runs the same whether the planes are one store or two.
 */
import type { Db, Queryable } from './db.js';

export interface Planes {
  readonly analytics: Queryable;
  readonly money: Queryable;
}

/** Both planes in one queryable: a transaction of the one store (STORE=duckdb). */
export function onePlane(q: Queryable): Planes {
  return { analytics: q, money: q };
}

/** Whether the money plane is a store of its own (STORE=pglite|postgres). */
export function planesSplit(stores: { readonly db: Db; readonly money: Db }): boolean {
  return stores.money !== stores.db;
}

/**
 * The planes seen from `tx`, a transaction of the money store. With one store both are `tx`: its reads must see
 * the transaction's own writes, and DuckDB serves one writer at a time. With two, usage is read through the
 * analytics store (committed usage; nothing of it is written in a money transaction).
 */
export function planesOf(stores: { readonly db: Db; readonly money: Db }, tx: Queryable): Planes {
  return planesSplit(stores) ? { analytics: stores.db, money: tx } : onePlane(tx);
}

/** A step's planes given as one queryable (both planes in one store) or as the pair. */
export function asPlanes(q: Queryable | Planes): Planes {
  return 'analytics' in q ? q : onePlane(q);
}
