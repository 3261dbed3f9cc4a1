/**
 * The gate's view of the settled balance (DOMAIN.md §9.5: pending top-ups do not count). Summing the ledger
 * costs about a millisecond, far too much per decision, so a POSITIVE balance is remembered for a short time
 * (`gateBalanceCacheMs`); a balance ≤ 0 is never remembered, so a settled top-up unblocks at once. Charges
 * reach the ledger late anyway (delivery-time pricing), so the few sends a stale positive value can let
 * through are of the same kind as the ones the domain already expects (the balance may go negative).
 * The ledger can call invalidateGateBalance after a write to make the next decision re-read it.
 */
import { settledBalance } from '../balance/ledger.js';
import type { Db } from '../db/db.js';

interface Entry {
  readonly balance: string;
  readonly until: number;
}

interface Cache {
  readonly entries: Map<string, Entry>;
  readonly inflight: Map<string, Promise<string>>;
  /** Bumped by invalidation, so a read that started before it does not store its older value. */
  generation: number;
}

const caches = new WeakMap<Db, Cache>();

function cacheOf(db: Db): Cache {
  let c = caches.get(db);
  if (!c) {
    c = { entries: new Map(), inflight: new Map(), generation: 0 };
    caches.set(db, c);
  }
  return c;
}

/** True when a decimal string is strictly greater than zero (exact, no float). */
export function isPositiveDecimal(s: string): boolean {
  return !s.trim().startsWith('-') && /[1-9]/.test(s);
}

/** A remembered positive balance, or undefined when it must be read. */
export function peekGateBalance(db: Db, phoneNumberId: string, nowMs: number): string | undefined {
  const e = cacheOf(db).entries.get(phoneNumberId);
  return e && e.until > nowMs ? e.balance : undefined;
}

/** Reads the settled balance (one read in flight per number) and remembers it when positive. */
export function readGateBalance(db: Db, phoneNumberId: string, ttlMs: number): Promise<string> {
  const c = cacheOf(db);
  let p = c.inflight.get(phoneNumberId);
  if (!p) {
    const gen = c.generation;
    p = settledBalance(db, phoneNumberId)
      .then((balance) => {
        if (ttlMs > 0 && gen === c.generation && isPositiveDecimal(balance))
          c.entries.set(phoneNumberId, { balance, until: Date.now() + ttlMs });
        else c.entries.delete(phoneNumberId);
        return balance;
      })
      .finally(() => {
        if (c.inflight.get(phoneNumberId) === read) c.inflight.delete(phoneNumberId);
      });
    const read = p;
    c.inflight.set(phoneNumberId, read);
  }
  return p;
}

/** Forgets remembered balances (one number, or all) after the ledger changed. */
export function invalidateGateBalance(db: Db, phoneNumberId?: string): void {
  const c = cacheOf(db);
  c.generation++;
  if (phoneNumberId === undefined) {
    c.entries.clear();
    c.inflight.clear();
  } else {
    c.entries.delete(phoneNumberId);
    c.inflight.delete(phoneNumberId);
  }
}
