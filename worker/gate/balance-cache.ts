/**
 * The gate's view of the settled balance (DOMAIN.md §9.5: pending top-ups do not count). Summing the ledger
 * costs about a millisecond, far too much per decision, so a POSITIVE balance is remembered for a short time
 * (`gateBalanceCacheMs`, at most twice that while a refresh is under way); a balance ≤ 0 is never
 * remembered, so a settled top-up unblocks at once. Charges reach the ledger late anyway (delivery-time
 * pricing), so the few sends a stale positive value can let through are of the same kind as the ones the
 * domain already expects (the balance may go negative).
 * Ledger writers call invalidateGateBalance(phoneNumberId) (no store needed) after their transaction commits
 * (onCommit): called inside it, a read on another connection could still see the old balance and remember it.
 */
import { settledBalance } from '../ledger/ledger.js';
import type { Db } from '../db/db.js';

interface Stamp {
  readonly all: number;
  readonly one: number;
}

interface Entry {
  readonly balance: string;
  readonly until: number;
  readonly stamp: Stamp;
}

interface Cache {
  readonly entries: Map<string, Entry>;
  readonly inflight: Map<string, { read: Promise<string>; stamp: Stamp }>;
}

// Process-wide invalidation versions: bumping them makes every cached or in-flight value older than the change.
let allVersion = 0;
const versions = new Map<string, number>();
const stampOf = (phone: string): Stamp => ({ all: allVersion, one: versions.get(phone) ?? 0 });
const current = (phone: string, s: Stamp) => s.all === allVersion && s.one === (versions.get(phone) ?? 0);

const caches = new WeakMap<Db, Cache>();

function cacheOf(db: Db): Cache {
  let c = caches.get(db);
  if (!c) {
    c = { entries: new Map(), inflight: new Map() };
    caches.set(db, c);
  }
  return c;
}

/** True when a decimal string is strictly greater than zero (exact, no float). */
export function isPositiveDecimal(s: string): boolean {
  return !s.trim().startsWith('-') && /[1-9]/.test(s);
}

/**
 * A remembered positive balance, or undefined when it must be read. Within one more TTL after expiry the old
 * value still answers while a refresh runs in the background (stale-while-revalidate), so the busy numbers
 * never queue behind a ledger read; `ttlMs` 0 disables remembering altogether.
 */
export function peekGateBalance(
  db: Db,
  phoneNumberId: string,
  nowMs: number,
  ttlMs: number,
): string | undefined {
  const e = cacheOf(db).entries.get(phoneNumberId);
  if (!e || !current(phoneNumberId, e.stamp)) return undefined;
  if (e.until > nowMs) return e.balance;
  if (e.until + ttlMs > nowMs) {
    readGateBalance(db, phoneNumberId, ttlMs).catch(() => undefined);
    return e.balance;
  }
  return undefined;
}

/** Reads the settled balance (one read in flight per number) and remembers it when positive. */
export function readGateBalance(db: Db, phoneNumberId: string, ttlMs: number): Promise<string> {
  const c = cacheOf(db);
  const running = c.inflight.get(phoneNumberId);
  if (running && current(phoneNumberId, running.stamp)) return running.read;
  const stamp = stampOf(phoneNumberId);
  const read: Promise<string> = settledBalance(db, phoneNumberId)
    .then((balance) => {
      if (ttlMs > 0 && current(phoneNumberId, stamp) && isPositiveDecimal(balance))
        c.entries.set(phoneNumberId, { balance, until: Date.now() + ttlMs, stamp });
      else c.entries.delete(phoneNumberId);
      return balance;
    })
    .finally(() => {
      if (c.inflight.get(phoneNumberId)?.read === read) c.inflight.delete(phoneNumberId);
    });
  c.inflight.set(phoneNumberId, { read, stamp });
  return read;
}

/** Makes the gate re-read the balance of one number (or of all) at its next paid decision. */
export function invalidateGateBalance(phoneNumberId?: string): void {
  if (phoneNumberId === undefined) allVersion++;
  else versions.set(phoneNumberId, (versions.get(phoneNumberId) ?? 0) + 1);
}
