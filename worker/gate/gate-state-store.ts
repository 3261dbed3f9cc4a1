/**
 * The gate's per-customer state: a bounded copy in memory per process (the hot path rarely waits for DuckDB)
 * persisted in DuckDB, which is the truth after a restart (the first request for a number loads it). Changed
 * states are APPENDED to `gate_state_log` (one statement per batch; appending costs DuckDB several times less than
 * an upsert) and folded into the `gate_customer_state` snapshot by compaction — on every explicit flush
 * (shutdown, tests) and whenever the log reaches COMPACT_AT_ROWS rows.
 *
 * Two durability modes (config GATE_WRITE_THROUGH):
 * - write-behind (default): changes are batched and written within GATE_FLUSH_MS (250 ms); the answer does not
 *   wait. A crash can lose the window changes of that last interval; a failed write is logged and retried with
 *   everything still pending. Losing the last interval of windows only makes the gate more conservative (it
 *   forgets an open conversation and calls the next template paid) or refuses a free-form reply it could have
 *   allowed.
 * - write-through: a state-changing decision is answered only after its batch is committed (group commit:
 *   while one batch is written the next collects).
 *
 * Memory is bounded by GATE_MAX_CUSTOMERS states (state-memory.ts), never dropping an uncommitted one; a number
 * that lost states reads a customer it does not hold from DuckDB, so a dropped customer decides as before.
 * Shutdown calls flushGateState so a clean stop loses nothing in either mode.
 */
import type { Db } from '../db/db.js';
import { silentLogger, type Logger } from '../env.js';
import { emptyCustomerState, type CustomerState } from './customer-state.js';
import { APPEND_SQL, COMPACT_SQL, LOAD_SQL, applyRow, encodeBatch, type StateRow } from './gate-state-sql.js';
import { StateMemory, stateKey, type NumberStates } from './state-memory.js';

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

interface Change {
  phone: string;
  customer: string;
  state: CustomerState;
}

export interface GateStoreOptions {
  readonly writeThrough: boolean;
  readonly flushMs: number;
  /** How many customer states the process keeps in memory at most. */
  readonly maxCustomers?: number;
}

/** Compact once the log holds this many rows (and on every explicit flush). */
const COMPACT_AT_ROWS = 200_000;

export type { NumberStates };

export class GateStateStore {
  private readonly memory: StateMemory;
  private readonly numbers: Map<string, NumberStates>;
  private readonly loading = new Map<string, Promise<NumberStates>>();
  private pending = new Map<string, Change>();
  /** Keys of the batch being written: not yet committed, so not droppable either. */
  private inflight = new Set<string>();
  private waiters: Waiter[] = [];
  private writing = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private drained: Promise<void> = Promise.resolve();
  private log: Logger = silentLogger;

  constructor(
    private readonly db: Db,
    private readonly opts: GateStoreOptions,
  ) {
    this.memory = new StateMemory(opts.maxCustomers ?? 100_000);
    this.numbers = this.memory.numbers;
  }

  /** Where failed background writes are reported. */
  useLogger(log: Logger): void {
    this.log = log;
  }

  /** How many customer states are in memory (tests and the soak benchmark watch it). */
  get size(): number {
    return this.memory.size;
  }

  /** The states of one phone number; the first call per process reads them from DuckDB. */
  states(phoneNumberId: string): NumberStates | Promise<NumberStates> {
    const hit = this.numbers.get(phoneNumberId);
    if (hit) return hit;
    let p = this.loading.get(phoneNumberId);
    if (!p) {
      p = this.load(phoneNumberId).finally(() => this.loading.delete(phoneNumberId));
      this.loading.set(phoneNumberId, p);
    }
    return p;
  }

  private async load(phoneNumberId: string): Promise<NumberStates> {
    const rows = await this.db.all<StateRow>(LOAD_SQL, { p: phoneNumberId, c: null });
    const map: NumberStates = new Map();
    for (const r of rows) {
      let s = map.get(r.customer_wa_id);
      if (!s) map.set(r.customer_wa_id, (s = emptyCustomerState()));
      applyRow(s, r);
    }
    // A write may have landed while loading (it only happens after a load, so this is belt and braces).
    const existing = this.numbers.get(phoneNumberId);
    if (existing) return existing;
    this.numbers.set(phoneNumberId, map);
    for (const customer of map.keys()) this.memory.hold(phoneNumberId, customer);
    this.evictIfFull();
    return map;
  }

  /**
   * Makes sure `states` holds the customer if DuckDB does: a no-op unless the number dropped states. Call before
   * reading a customer that `states` does not have.
   */
  async recall(phoneNumberId: string, states: NumberStates, customer: string): Promise<void> {
    if (states.has(customer) || !this.memory.isPartial(phoneNumberId)) return;
    const queued = this.pending.get(stateKey(phoneNumberId, customer));
    if (queued) {
      states.set(customer, queued.state);
      this.memory.hold(phoneNumberId, customer);
      return;
    }
    const rows = await this.db.all<StateRow>(LOAD_SQL, { p: phoneNumberId, c: customer });
    // Another request may have set the customer meanwhile: its state is newer than the stored one.
    if (rows.length === 0 || states.has(customer)) return;
    const s = emptyCustomerState();
    for (const r of rows) applyRow(s, r);
    states.set(customer, s);
    this.memory.hold(phoneNumberId, customer);
    this.evictIfFull();
  }

  /** Persists the state of one customer: committed on return (write-through) or within flushMs. */
  save(phoneNumberId: string, customer: string, state: CustomerState, nowMs: number): Promise<void> {
    // The state object may have been dropped from memory while its caller awaited: it is the newest, keep it.
    this.memory.hold(phoneNumberId, customer, state);
    this.pending.set(stateKey(phoneNumberId, customer), { phone: phoneNumberId, customer, state });
    this.nowMs = nowMs;
    this.evictIfFull();
    if (!this.opts.writeThrough) {
      this.schedule();
      if (!this.memory.overflowing) return Promise.resolve();
      // A client adding customers faster than the writer commits them waits for it: memory stays bounded.
      this.startDrain();
      return this.drained.then(() => this.evictIfFull(true));
    }
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.startDrain();
    return done;
  }

  /** DuckDB must have a state before memory may forget it. */
  private evictIfFull(dropOpen = this.memory.overflowing): void {
    this.memory.evict((key) => this.pending.has(key) || this.inflight.has(key), dropOpen);
  }

  /** Writes everything pending now and resolves when it is committed (shutdown, tests). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.startDrain();
    await this.drained;
    const err = this.lastError;
    this.lastError = null;
    if (err) throw err;
    await this.compact();
  }

  private logRows = 0;
  private compacting: Promise<void> | null = null;

  /** Folds the log into gate_customer_state and deletes the folded rows, in one transaction. */
  compact(): Promise<void> {
    this.compacting ??= this.db
      .transaction(async (tx) => {
        const top = await tx.all<{ max: string | null }>(
          'SELECT max(seq)::VARCHAR AS max FROM gate_state_log',
        );
        const max = top[0]?.max;
        if (!max) return;
        await tx.run(COMPACT_SQL, { max });
        await tx.run('DELETE FROM gate_state_log WHERE seq <= $max::BIGINT', { max });
      })
      .then(() => {
        this.logRows = 0;
      })
      .finally(() => {
        this.compacting = null;
      });
    return this.compacting;
  }

  /** The last failed background write (write-behind), reported by the next flush. */
  private lastError: unknown = null;

  private nowMs = 0;
  private failures = 0;

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.startDrain();
    }, this.opts.flushMs);
    // Under Node, a pending flush alone must not keep the process alive (shutdown flushes explicitly).
    (this.timer as { unref?: () => void }).unref?.();
  }

  private startDrain(): void {
    if (this.writing || this.pending.size === 0) return;
    this.writing = true;
    this.drained = Promise.resolve().then(() => this.drain());
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = this.pending;
      const waiters = this.waiters;
      this.pending = new Map();
      this.waiters = [];
      this.inflight = new Set(batch.keys());
      try {
        await this.db.run(APPEND_SQL, { batch: encodeBatch(batch.values()), now: String(this.nowMs) });
        this.inflight = new Set();
        this.logRows += batch.size;
        for (const w of waiters) w.resolve();
        this.failures = 0;
      } catch (err) {
        this.inflight = new Set();
        this.log.error('gate state write failed', {
          error: err instanceof Error ? err.message : String(err),
          states: batch.size,
          attempt: this.failures + 1,
        });
        if (this.opts.writeThrough) {
          // Memory ran ahead of DuckDB: forget those numbers so the next request reloads the committed truth.
          for (const b of batch.values()) this.forget(b.phone);
          for (const w of waiters) w.reject(err);
        } else {
          // Keep the newer change where there is one, and try again after the interval.
          for (const [k, b] of batch) if (!this.pending.has(k)) this.pending.set(k, b);
          this.lastError = err;
          this.writing = false;
          // Retry a while (a busy writer, a transient error); a store that keeps failing (closed) is left
          // alone until the next change or flush, so a dead store does not spin. Nothing pending is dropped.
          if (++this.failures < 20) this.schedule();
          return;
        }
      }
    }
    this.writing = false;
    this.evictIfFull(true);
    if (this.logRows >= COMPACT_AT_ROWS)
      void this.compact().catch((err: unknown) =>
        this.log.error('gate state compaction failed', { error: String(err) }),
      );
  }

  /** Drops the in-memory copy (tests simulate a restart with a fresh store instead). */
  forget(phoneNumberId?: string): void {
    this.memory.forget(phoneNumberId);
  }
}

/** The store options a configuration asks for. */
export function gateStoreOptions(config: {
  gateWriteThrough: boolean;
  gateFlushMs: number;
  gateMaxCustomers: number;
}): GateStoreOptions {
  return {
    writeThrough: config.gateWriteThrough,
    flushMs: config.gateFlushMs,
    maxCustomers: config.gateMaxCustomers,
  };
}
