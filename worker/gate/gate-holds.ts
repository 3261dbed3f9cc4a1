/**
 * The send gate's holds in one process (the statements are in hold-sql.ts). A paid decision spends its price
 * from the hold this process has for the number; when that runs short (or its lease nears expiry) the process
 * gives the unused part back and reserves a new hold in the same transaction, up to `sends` decisions' worth:
 * less when the free balance is low, so that near exhaustion every process holds at most one send at a time and
 * the balance is spent to the last send across processes. Concurrent decisions for one number share one
 * reservation and, when spends are recorded one by one, one record write.
 * Holds left unused for `idleMs`, and those whose lease ends, are given back by a timer; a process that dies
 * gives nothing back, and its lease simply ends (see hold-sql.ts for what then still counts).
 */
import type { GateHoldSettings } from '../config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import {
  closeHold,
  dropSpentHolds,
  freeBalance,
  insertHold,
  lockNumberHolds,
  recordHoldSpend,
  type HoldSpend,
} from './hold-sql.js';

export type HoldSettings = GateHoldSettings;

interface Lease {
  readonly phoneNumberId: string;
  readonly holdId: string;
  readonly amount: bigint;
  readonly expiresMs: number;
  used: bigint;
  lastMs: number;
  lastUseMs: number;
  /** 'each': what the store holds (used, last decision), and the record write not yet started / running. */
  recorded: HoldSpend;
  next?: Promise<boolean> | undefined;
  running?: Promise<boolean> | undefined;
  dead: boolean;
}

export class GateHolds {
  private readonly leases = new Map<string, Lease>();
  private readonly reserving = new Map<string, Promise<boolean>>();
  private readonly timer: ReturnType<typeof setInterval>;
  private log: Logger | undefined;

  constructor(
    private readonly money: Db,
    private readonly holder: string,
    private readonly s: HoldSettings,
  ) {
    this.timer = setInterval(() => void this.giveBackIdle(), Math.max(20, Math.min(s.idleMs, s.ttlMs / 4)));
    this.timer.unref?.();
  }

  useLogger(log: Logger): void {
    this.log = log;
  }

  // A lease is spent from only well before its end, so that its end by another process's clock (and the record
  // write of 'each') falls after the last spend.
  private usable(l: Lease, now: number): boolean {
    return !l.dead && now < l.expiresMs - Math.min(this.s.ttlMs / 4, 500);
  }

  /**
   * Spends `price` (micro-units) of the number's balance for one paid decision made for the instant `atMs`; false
   * when the free balance cannot cover it (this process's unused part given back first).
   */
  async spend(phoneNumberId: string, price: bigint, atMs: number): Promise<boolean> {
    if (price <= 0n) return true;
    // Other decisions may take a new hold's sends first (then reserve again); a record that found the hold ended
    // refuses its spends, and is not tried for ever.
    for (let lapsed = 0; lapsed < 3;) {
      const l = this.leases.get(phoneNumberId);
      const now = Date.now();
      if (l && this.usable(l, now) && l.amount - l.used >= price) {
        l.used += price;
        l.lastMs = Math.max(l.lastMs, atMs, now);
        l.lastUseMs = now;
        if (this.s.record === 'lease' || (await this.record(l))) return true;
        lapsed++;
        continue;
      }
      if (!(await this.reserve(phoneNumberId, price))) return false;
    }
    return false;
  }

  /**
   * Spends `price` from this process's hold without waiting, when its sends are recorded with the hold ('lease')
   * and the hold has room: true when spent, false when `spend` must be called (nothing was spent).
   */
  spendHeld(phoneNumberId: string, price: bigint, atMs: number): boolean {
    if (this.s.record !== 'lease') return false;
    const l = this.leases.get(phoneNumberId);
    const now = Date.now();
    if (!l || !this.usable(l, now) || l.amount - l.used < price) return false;
    l.used += price;
    l.lastMs = Math.max(l.lastMs, atMs, now);
    l.lastUseMs = now;
    return true;
  }

  /** Whether the number's balance could cover `price` now (a dry run): nothing is reserved or spent. */
  async covers(phoneNumberId: string, price: bigint): Promise<boolean> {
    if (price <= 0n) return true;
    const l = this.leases.get(phoneNumberId);
    const now = Date.now();
    if (l && this.usable(l, now) && l.amount - l.used >= price) return true;
    const f = await freeBalance(this.money, phoneNumberId, this.holder, now, this.s.backstopMs);
    const own = l && !l.dead && now < l.expiresMs ? l.amount - this.spentOf(l).used : 0n;
    return f.free + own >= price;
  }

  // 'each': one write carries every spend made before it started; a spend made while a write runs waits for the
  // next one. A write that finds the hold ended refuses every spend it carries (they were never recorded).
  private record(l: Lease): Promise<boolean> {
    if (l.next) return l.next;
    const next = (async () => {
      await l.running?.catch(() => undefined);
      l.next = undefined;
      const spend = { holdId: l.holdId, used: l.used, lastMs: l.lastMs };
      const running = this.money.transaction(async (tx) => {
        await lockNumberHolds(tx, l.phoneNumberId);
        return recordHoldSpend(tx, spend, Date.now());
      });
      l.running = running;
      const ok = await running.catch((e: unknown) => {
        this.log?.error('gate hold record failed', { error: String(e) });
        return false;
      });
      if (ok) l.recorded = spend;
      else l.dead = true;
      return ok;
    })();
    l.next = next;
    return next;
  }

  private spentOf(l: Lease): HoldSpend {
    return this.s.record === 'each' ? l.recorded : { holdId: l.holdId, used: l.used, lastMs: l.lastMs };
  }

  // One reservation in flight per number: the others wait for its outcome instead of queueing on the lock row.
  private reserve(phoneNumberId: string, price: bigint): Promise<boolean> {
    const running = this.reserving.get(phoneNumberId);
    if (running) return running;
    const r = this.reserveNow(phoneNumberId, price).finally(() => this.reserving.delete(phoneNumberId));
    this.reserving.set(phoneNumberId, r);
    return r;
  }

  private async reserveNow(phoneNumberId: string, price: bigint): Promise<boolean> {
    const old = this.leases.get(phoneNumberId);
    this.leases.delete(phoneNumberId);
    if (old) await this.settle(old);
    const { sends, ttlMs, backstopMs, record } = this.s;
    const lease = await this.money.transaction(async (tx) => {
      const now = Date.now();
      await lockNumberHolds(tx, phoneNumberId);
      if (old) await closeHold(tx, this.spentOf(old));
      await dropSpentHolds(tx, phoneNumberId, now, backstopMs);
      const f = await freeBalance(tx, phoneNumberId, this.holder, now, backstopMs);
      if (f.free < price) return null;
      // Share what is free with the other holders: near exhaustion a hold is one send.
      const share = f.free / (price * BigInt(f.otherHolders + 1));
      const n = share < 1n ? 1n : share > BigInt(sends) ? BigInt(sends) : share;
      const holdId = `hold_${crypto.randomUUID()}`;
      const l: Lease = {
        phoneNumberId,
        holdId,
        amount: n * price,
        expiresMs: now + ttlMs,
        used: 0n,
        lastMs: now,
        lastUseMs: now,
        recorded: { holdId, used: 0n, lastMs: now },
        dead: false,
      };
      await insertHold(
        tx,
        { holdId, phoneNumberId, amount: l.amount, expiresMs: l.expiresMs },
        this.holder,
        now,
        record === 'each',
      );
      return l;
    });
    if (!lease) return false;
    this.leases.set(phoneNumberId, lease);
    return true;
  }

  // Waits for the record writes of a lease no longer spent from, so that what it gives back is final.
  private async settle(l: Lease): Promise<void> {
    await l.next?.catch(() => undefined);
    await l.running?.catch(() => undefined);
  }

  /** Gives back the hold of one number (or of every number): its next paid send reserves on the balance anew. */
  giveBack(phoneNumberId?: string): Promise<void> {
    return this.giveBackIdle(phoneNumberId ?? true);
  }

  /** Gives back the holds idle for `idleMs` or near their end (the timer), or those of `only` (true = all). */
  async giveBackIdle(only: string | boolean = false): Promise<void> {
    const now = Date.now();
    const done: Lease[] = [];
    for (const [phone, l] of this.leases) {
      const chosen = only === true || only === phone;
      if (chosen || (only === false && (!this.usable(l, now) || now - l.lastUseMs >= this.s.idleMs))) {
        this.leases.delete(phone);
        done.push(l);
      }
    }
    if (done.length === 0) return;
    try {
      await Promise.all(done.map((l) => this.settle(l)));
      await this.money.transaction(async (tx) => {
        for (const l of done) await closeHold(tx, this.spentOf(l));
      });
    } catch (e) {
      this.log?.error('gate holds could not be given back', { error: String(e) });
    }
  }

  /** Stops the timer and gives every hold back (a clean stop). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.giveBack();
  }
}
