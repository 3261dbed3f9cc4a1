/**
 * Brings the analytics mirror of the tenancy up to the money plane's truth: at startup (a process stopped
 * between a tenancy write's money commit and its mirror write left the mirror behind) and whenever a replica
 * wants the writes other processes made. Two steps, each idempotent:
 *
 * 1. Numbers flow the other way first. An ingest registers the numbers it meets in the analytics plane and then
 *    in the money plane; a crash between the two commits leaves a number only in analytics, with its units
 *    (and their charges due). It is registered in the money plane now, never dropped from analytics: the
 *    analytics numbers include the money numbers, and the money numbers include every number that has units.
 * 2. Rows the money plane has that the mirror lacks, or holds differently (name, portfolio, label, …), are
 *    copied in one analytics transaction, in which `analytics` then runs (the lake's change log, the re-pricing
 *    of WABAs whose portfolio moved). Nothing is deleted: partners, WABAs and numbers are never removed.
 *
 * With one store (STORE=duckdb) the mirror is the table itself: nothing to do.
 */
import type { Db, Queryable } from '../db/db.js';
import {
  MIRROR_ORDER,
  MIRROR_TABLES,
  readTenancyRows,
  upsertMirrorRows,
  type MirrorRow,
  type MirrorTable,
  type TenancyKeys,
} from './mirror-tenancy.js';
import { registerPhonesInMoney, type RegisteredPhone } from './register-phones-in-money.js';

export interface MirrorRefresh {
  /** Numbers only the analytics plane had (an ingest stopped before registering them in money): registered. */
  readonly registeredInMoney: number;
  /** Of those, numbers whose WABA the money plane does not know: left as they are. */
  readonly unknownWaba: number;
  /** The mirrored rows copied (missing or different), per table. */
  readonly copied: TenancyKeys;
  /** Rows whose owner (a WABA's partner, a number's WABA) differs between the planes: left, to be looked at. */
  readonly conflicts: readonly string[];
  /** WABAs whose volume tiers the copied portfolio moves change (the old and new portfolios' WABAs). */
  readonly repriceWabas: readonly string[];
}

export interface RefreshOptions {
  /** Runs in the analytics transaction after the copy, when something was copied. */
  readonly analytics?: (tx: Queryable, refresh: MirrorRefresh) => Promise<unknown>;
}

const same = (table: MirrorTable, a: MirrorRow, b: MirrorRow) =>
  MIRROR_TABLES[table].updatable.every((c) => (a[c] ?? null) === (b[c] ?? null));

/** Numbers in analytics that the money plane lacks, registered there. */
async function registerMissingNumbers(
  money: Db,
  db: Db,
): Promise<{ registered: number; unknownWaba: number }> {
  const known = new Set(
    (await money.all<{ id: string }>('SELECT phone_number_id AS id FROM phone_numbers')).map((r) => r.id),
  );
  const analytics = await readTenancyRows(db, 'phone_numbers', null);
  const missing: RegisteredPhone[] = analytics
    .filter((r) => !known.has(String(r.phone_number_id)))
    .map((r) => ({
      phone_number_id: String(r.phone_number_id),
      waba_id: String(r.waba_id),
      display_phone_number: r.display_phone_number ?? null,
      created_at: String(r.created_at),
    }));
  const r = await registerPhonesInMoney(money, missing);
  return { registered: r.registered, unknownWaba: r.unknownWaba };
}

/** The WABAs whose volume tiers change when the given WABAs' portfolios move (as updateWaba computes them). */
function movedTiers(truth: readonly MirrorRow[], moved: readonly { id: string; from: string | null }[]) {
  const keys = new Set(moved.flatMap((m) => [m.from ?? m.id]));
  for (const m of moved) {
    const now = truth.find((r) => r.waba_id === m.id);
    keys.add(now?.portfolio_id ?? m.id);
  }
  const ids = new Set(moved.map((m) => m.id));
  for (const r of truth) if (keys.has(String(r.portfolio_id ?? r.waba_id))) ids.add(String(r.waba_id));
  return [...ids].sort();
}

interface CopyPlan {
  readonly rows: Partial<Record<MirrorTable, MirrorRow[]>>;
  readonly conflicts: string[];
  readonly repriceWabas: string[];
}

/** What the mirror read through `q` lacks or holds differently from the money plane. */
async function planCopy(money: Queryable, q: Queryable): Promise<CopyPlan> {
  const rows: Partial<Record<MirrorTable, MirrorRow[]>> = {};
  const conflicts: string[] = [];
  let repriceWabas: string[] = [];
  for (const table of MIRROR_ORDER) {
    const spec = MIRROR_TABLES[table];
    const truth = await readTenancyRows(money, table, null);
    const mirror = new Map((await readTenancyRows(q, table, null)).map((r) => [r[spec.key], r]));
    const copy: MirrorRow[] = [];
    const moved: { id: string; from: string | null }[] = [];
    for (const row of truth) {
      const held = mirror.get(row[spec.key] ?? null);
      if (held && spec.owner && held[spec.owner] !== row[spec.owner]) {
        conflicts.push(`${table}:${String(row[spec.key])}`);
      } else if (!held || !same(table, held, row)) {
        copy.push(row);
        if (table === 'wabas' && held && held.portfolio_id !== row.portfolio_id)
          moved.push({ id: String(row.waba_id), from: held.portfolio_id ?? null });
      }
    }
    if (copy.length > 0) rows[table] = copy;
    if (moved.length > 0) repriceWabas = movedTiers(truth, moved);
  }
  return { rows, conflicts, repriceWabas };
}

export async function refreshTenancyMirror(
  money: Db,
  db: Db,
  opts: RefreshOptions = {},
): Promise<MirrorRefresh | null> {
  if (money === db) return null;
  const numbers = await registerMissingNumbers(money, db);
  const result = (plan: CopyPlan): MirrorRefresh => ({
    registeredInMoney: numbers.registered,
    unknownWaba: numbers.unknownWaba,
    copied: Object.fromEntries(
      Object.entries(plan.rows).map(([t, rows]) => [
        t,
        rows.map((r) => String(r[MIRROR_TABLES[t as MirrorTable].key])),
      ]),
    ),
    conflicts: plan.conflicts,
    repriceWabas: plan.repriceWabas,
  });
  // Read first without the analytics writer: a mirror already up to date (the usual case) costs no write.
  const seen = await planCopy(money, db);
  if (Object.keys(seen.rows).length === 0) return result(seen);
  return db.transaction(async (tx) => {
    // Again under the writer: the copy is decided on what it writes over.
    const plan = await planCopy(money, tx);
    for (const table of MIRROR_ORDER) await upsertMirrorRows(tx, table, plan.rows[table] ?? []);
    const refresh = result(plan);
    if (Object.keys(plan.rows).length > 0) await opts.analytics?.(tx, refresh);
    return refresh;
  });
}
