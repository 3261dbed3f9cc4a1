/**
 * The gate's view of the settled balance (DOMAIN.md §9.5: pending top-ups do not count). Summing the ledger
 * costs about a millisecond, far too much per decision, so a POSITIVE balance is remembered for a short time
 * (`gateBalanceCacheMs`, at most twice that while a refresh is under way); a balance ≤ 0 is never
 * remembered, so a settled top-up unblocks at once. Charges reach the ledger late anyway (delivery-time
 * pricing), so the few sends a stale positive value can let through are of the same kind as the ones the
 * domain already expects (the balance may go negative).
 * One cache per store, built by the host (app-services.ts). Ledger writers invalidate a number after their
 * transaction commits (an after-commit effect): called inside it, a read on another connection could still see
 * the old balance and remember it.
 */
import type { Db } from '../db/db.js';
import { settledBalance } from '../ledger/ledger.js';

interface Stamp {
  readonly all: number;
  readonly one: number;
}

interface Entry {
  readonly balance: string;
  readonly until: number;
  readonly stamp: Stamp;
}

/** True when a decimal string is strictly greater than zero (exact, no float). */
export function isPositiveDecimal(s: string): boolean {
  return !s.trim().startsWith('-') && /[1-9]/.test(s);
}

export class GateBalanceCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, { read: Promise<string>; stamp: Stamp }>();
  // Invalidation versions: bumping them makes every cached or in-flight value older than the change.
  private allVersion = 0;
  private readonly versions = new Map<string, number>();

  private readonly listeners: ((phoneNumberId?: string) => void)[] = [];

  constructor(private readonly db: Db) {}

  /** Runs `fn` on every invalidation (the gate's holds give a changed number's unused part back). */
  onInvalidate(fn: (phoneNumberId?: string) => void): void {
    this.listeners.push(fn);
  }

  private stampOf(phone: string): Stamp {
    return { all: this.allVersion, one: this.versions.get(phone) ?? 0 };
  }

  private current(phone: string, s: Stamp): boolean {
    return s.all === this.allVersion && s.one === (this.versions.get(phone) ?? 0);
  }

  /**
   * A remembered positive balance, or undefined when it must be read. Within one more TTL after expiry the old
   * value still answers while a refresh runs in the background (stale-while-revalidate), so the busy numbers
   * never queue behind a ledger read; `ttlMs` 0 disables remembering altogether.
   */
  peek(phoneNumberId: string, nowMs: number, ttlMs: number): string | undefined {
    const e = this.entries.get(phoneNumberId);
    if (!e || !this.current(phoneNumberId, e.stamp)) return undefined;
    if (e.until > nowMs) return e.balance;
    if (e.until + ttlMs > nowMs) {
      this.read(phoneNumberId, ttlMs).catch(() => undefined);
      return e.balance;
    }
    return undefined;
  }

  /** Reads the settled balance (one read in flight per number) and remembers it when positive. */
  read(phoneNumberId: string, ttlMs: number): Promise<string> {
    const running = this.inflight.get(phoneNumberId);
    if (running && this.current(phoneNumberId, running.stamp)) return running.read;
    const stamp = this.stampOf(phoneNumberId);
    const read: Promise<string> = settledBalance(this.db, phoneNumberId)
      .then((balance) => {
        if (ttlMs > 0 && this.current(phoneNumberId, stamp) && isPositiveDecimal(balance))
          this.entries.set(phoneNumberId, { balance, until: Date.now() + ttlMs, stamp });
        else this.entries.delete(phoneNumberId);
        return balance;
      })
      .finally(() => {
        if (this.inflight.get(phoneNumberId)?.read === read) this.inflight.delete(phoneNumberId);
      });
    this.inflight.set(phoneNumberId, { read, stamp });
    return read;
  }

  /** Makes the gate re-read the balance of one number (or of all) at its next paid decision. */
  invalidate(phoneNumberId?: string): void {
    if (phoneNumberId === undefined) this.allVersion++;
    else this.versions.set(phoneNumberId, (this.versions.get(phoneNumberId) ?? 0) + 1);
    for (const fn of this.listeners) fn(phoneNumberId);
  }
}
