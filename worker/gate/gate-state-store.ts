/**
 * The gate's per-customer state: a copy in memory per process (the hot path never waits for DuckDB) persisted
 * to `gate_customer_state`, which is the truth after a restart (the first request for a number loads it).
 *
 * Two durability modes (config GATE_WRITE_THROUGH):
 * - write-behind (default): changes are batched and written within GATE_FLUSH_MS (1 s); the answer does not
 *   wait. A crash can lose the window changes of that last interval, and a failed write is retried. An upsert
 *   costs DuckDB 2–5 ms of CPU however small the batch (statement overhead dominates), so waiting for it would
 *   put every state-changing decision above the 5 ms p99 target, and frequent small batches measurably cut
 *   throughput (bench: 100 ms flushes ≈ 20–40 % fewer decisions/s than 1 s). Losing the last second of windows
 *   only makes the gate more conservative (it forgets an open conversation and calls the next template paid)
 *   or refuses a free-form reply it could have allowed.
 * - write-through: a state-changing decision is answered only after its row is committed (group commit: while
 *   one batch is written the next collects; each batch is one INSERT OR REPLACE).
 * Shutdown calls flushGateState so a clean stop loses nothing in either mode.
 */
import type { Db } from '../db/db.js';
import { emptyCustomerState, type CustomerState } from './customer-state.js';

interface StateRow {
  customer_wa_id: string;
  csw_until: string | null;
  referral_until: string | null;
  fep_until: string | null;
  marketing_until: string | null;
  utility_until: string | null;
  authentication_until: string | null;
  service_until: string | null;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** '' → NULL, epoch milliseconds → TIMESTAMPTZ (the batch travels as VARCHAR lists). */
const ts = (col: string): string => `make_timestamptz(NULLIF(${col}, '')::BIGINT * 1000)`;

const UPSERT = `
  INSERT OR REPLACE INTO gate_customer_state
  SELECT p, c, ${ts('a')}, ${ts('r')}, ${ts('f')}, ${ts('m')}, ${ts('u')}, ${ts('au')}, ${ts('s')},
         make_timestamptz($now::BIGINT * 1000)
    FROM (SELECT unnest($p) AS p, unnest($c) AS c, unnest($a) AS a, unnest($r) AS r, unnest($f) AS f,
                 unnest($m) AS m, unnest($u) AS u, unnest($au) AS au, unnest($s) AS s)`;

const ms = (v: string | null): number => (v === null ? 0 : Number(v));
const str = (v: number): string => (v > 0 ? String(v) : '');

/** One number's customers, loaded once per process. */
export type NumberStates = Map<string, CustomerState>;

export class GateStateStore {
  private readonly numbers = new Map<string, NumberStates>();
  private readonly loading = new Map<string, Promise<NumberStates>>();
  private pending = new Map<string, { phone: string; customer: string; state: CustomerState }>();
  private waiters: Waiter[] = [];
  private writing = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private drained: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly opts: { writeThrough: boolean; flushMs: number },
  ) {}

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
    const rows = await this.db.all<StateRow>(
      `SELECT customer_wa_id, epoch_ms(csw_until) AS csw_until, epoch_ms(referral_until) AS referral_until,
              epoch_ms(fep_until) AS fep_until, epoch_ms(marketing_until) AS marketing_until,
              epoch_ms(utility_until) AS utility_until, epoch_ms(authentication_until) AS authentication_until,
              epoch_ms(service_until) AS service_until
         FROM gate_customer_state WHERE phone_number_id = $p`,
      { p: phoneNumberId },
    );
    const map: NumberStates = new Map();
    for (const r of rows) {
      const s = emptyCustomerState();
      s.cswUntil = ms(r.csw_until);
      s.referralUntil = ms(r.referral_until);
      s.fepUntil = ms(r.fep_until);
      s.conv.marketing = ms(r.marketing_until);
      s.conv.utility = ms(r.utility_until);
      s.conv.authentication = ms(r.authentication_until);
      s.conv.service = ms(r.service_until);
      map.set(r.customer_wa_id, s);
    }
    // A write may have landed while loading (it only happens after a load, so this is belt and braces).
    const existing = this.numbers.get(phoneNumberId);
    if (existing) return existing;
    this.numbers.set(phoneNumberId, map);
    return map;
  }

  /** Persists the state of one customer: committed on return (write-through) or within flushMs. */
  save(phoneNumberId: string, customer: string, state: CustomerState, nowMs: number): Promise<void> {
    this.pending.set(`${phoneNumberId}\u0000${customer}`, { phone: phoneNumberId, customer, state });
    this.nowMs = nowMs;
    if (!this.opts.writeThrough) {
      this.schedule();
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.startDrain();
    return done;
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
      const batch = [...this.pending.entries()];
      const waiters = this.waiters;
      this.pending = new Map();
      this.waiters = [];
      try {
        await this.db.run(UPSERT, {
          now: String(this.nowMs),
          p: batch.map(([, b]) => b.phone),
          c: batch.map(([, b]) => b.customer),
          a: batch.map(([, b]) => str(b.state.cswUntil)),
          r: batch.map(([, b]) => str(b.state.referralUntil)),
          f: batch.map(([, b]) => str(b.state.fepUntil)),
          m: batch.map(([, b]) => str(b.state.conv.marketing)),
          u: batch.map(([, b]) => str(b.state.conv.utility)),
          au: batch.map(([, b]) => str(b.state.conv.authentication)),
          s: batch.map(([, b]) => str(b.state.conv.service)),
        });
        for (const w of waiters) w.resolve();
        this.failures = 0;
      } catch (err) {
        if (this.opts.writeThrough) {
          // Memory ran ahead of DuckDB: forget those numbers so the next request reloads the committed truth.
          for (const [, b] of batch) this.numbers.delete(b.phone);
          for (const w of waiters) w.reject(err);
        } else {
          // Keep the newer change where there is one, and try again after the interval.
          for (const [k, b] of batch) if (!this.pending.has(k)) this.pending.set(k, b);
          this.lastError = err;
          this.writing = false;
          // Retry a while (a busy writer, a transient error); a store that keeps failing (closed) is left
          // alone until the next change or flush, so a dead store does not spin.
          if (++this.failures < 20) this.schedule();
          return;
        }
      }
    }
    this.writing = false;
  }

  /** Drops the in-memory copy (tests simulate a restart with a fresh store instead). */
  forget(phoneNumberId?: string): void {
    if (phoneNumberId === undefined) this.numbers.clear();
    else this.numbers.delete(phoneNumberId);
  }
}

const stores = new WeakMap<Db, GateStateStore>();

/** The one state store per database per process. */
export function gateStateStore(
  db: Db,
  opts: { writeThrough: boolean; flushMs: number } = { writeThrough: false, flushMs: 1000 },
): GateStateStore {
  let s = stores.get(db);
  if (!s) {
    s = new GateStateStore(db, opts);
    stores.set(db, s);
  }
  return s;
}

/** Writes the pending gate state of a database (call before closing it). */
export async function flushGateState(db: Db): Promise<void> {
  await stores.get(db)?.flush();
}
