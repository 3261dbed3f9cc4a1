/**
 * The gate's per-customer state: a copy in memory per process (the hot path never waits for DuckDB) persisted
 * in DuckDB, which is the truth after a restart (the first request for a number loads it). Changed states are
 * APPENDED to `gate_state_log` (one statement per batch; appending costs DuckDB several times less than an
 * upsert) and folded into the `gate_customer_state` snapshot by compaction — on every explicit flush (shutdown,
 * tests) and whenever the log reaches COMPACT_AT_ROWS rows.
 *
 * Two durability modes (config GATE_WRITE_THROUGH):
 * - write-behind (default): changes are batched and written within GATE_FLUSH_MS (250 ms); the answer does not
 *   wait. A crash can lose the window changes of that last interval, and a failed write is retried. Each write
 *   costs DuckDB CPU that competes with the event loop on a 2-core host, so fewer, larger batches keep the p99
 *   down. Losing the last interval of windows only makes the gate more conservative (it forgets an open
 *   conversation and calls the next template paid) or refuses a free-form reply it could have allowed.
 * - write-through: a state-changing decision is answered only after its batch is committed (group commit:
 *   while one batch is written the next collects).
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

// A batch travels as ONE string (records split by RS, fields by US): binding thousands of list values costs
// more than letting DuckDB split a string, and neither separator can occur in an id or a wa_id.
const RS = '\u001e';
const US = '\u001f';
const field = (i: number) => `NULLIF(f[${i}], '')::BIGINT`;
const APPEND = `
  INSERT INTO gate_state_log
  SELECT nextval('gate_state_seq'), f[1], f[2], ${field(3)}, ${field(4)}, ${field(5)}, ${field(6)}, ${field(7)},
         ${field(8)}, ${field(9)}, $now::BIGINT
    FROM (SELECT string_split(rec, chr(31)) AS f FROM (SELECT unnest(string_split($batch, chr(30))) AS rec))`;

const ts = (col: string) => `make_timestamptz(${col} * 1000)`;
/** Folds the log up to $max into the snapshot (latest seq per customer wins). */
const COMPACT = `
  INSERT OR REPLACE INTO gate_customer_state
  SELECT phone_number_id, customer_wa_id, ${ts('csw_until')}, ${ts('referral_until')}, ${ts('fep_until')},
         ${ts('marketing_until')}, ${ts('utility_until')}, ${ts('authentication_until')}, ${ts('service_until')},
         ${ts('logged_at')}
    FROM gate_state_log WHERE seq <= $max::BIGINT
 QUALIFY row_number() OVER (PARTITION BY phone_number_id, customer_wa_id ORDER BY seq DESC) = 1`;

/** Compact once the log holds this many rows (and on every explicit flush). */
const COMPACT_AT_ROWS = 200_000;

const ms = (v: string | null): number => (v === null ? 0 : Number(v));
const str = (v: number): string => (v > 0 ? String(v) : '');

function applyRow(s: CustomerState, r: StateRow): void {
  s.cswUntil = ms(r.csw_until);
  s.referralUntil = ms(r.referral_until);
  s.fepUntil = ms(r.fep_until);
  s.conv.marketing = ms(r.marketing_until);
  s.conv.utility = ms(r.utility_until);
  s.conv.authentication = ms(r.authentication_until);
  s.conv.service = ms(r.service_until);
}

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
    // Snapshot first, then the changes logged since the last compaction, oldest first — in ONE statement, so a
    // compaction running meanwhile cannot make a change appear in neither part.
    const rows = await this.db.all<StateRow>(
      `SELECT customer_wa_id, csw_until, referral_until, fep_until, marketing_until, utility_until,
              authentication_until, service_until
         FROM (SELECT -1 AS seq, customer_wa_id, epoch_ms(csw_until) AS csw_until,
                      epoch_ms(referral_until) AS referral_until, epoch_ms(fep_until) AS fep_until,
                      epoch_ms(marketing_until) AS marketing_until, epoch_ms(utility_until) AS utility_until,
                      epoch_ms(authentication_until) AS authentication_until,
                      epoch_ms(service_until) AS service_until
                 FROM gate_customer_state WHERE phone_number_id = $p
               UNION ALL
               SELECT seq, customer_wa_id, csw_until, referral_until, fep_until, marketing_until, utility_until,
                      authentication_until, service_until
                 FROM gate_state_log WHERE phone_number_id = $p)
        ORDER BY seq`,
      { p: phoneNumberId },
    );
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
        await tx.run(COMPACT, { max });
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
      const batch = [...this.pending.entries()];
      const waiters = this.waiters;
      this.pending = new Map();
      this.waiters = [];
      try {
        const records = batch.map(([, b]) =>
          [
            b.phone,
            b.customer,
            str(b.state.cswUntil),
            str(b.state.referralUntil),
            str(b.state.fepUntil),
            str(b.state.conv.marketing),
            str(b.state.conv.utility),
            str(b.state.conv.authentication),
            str(b.state.conv.service),
          ].join(US),
        );
        await this.db.run(APPEND, { batch: records.join(RS), now: String(this.nowMs) });
        this.logRows += batch.length;
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
    if (this.logRows >= COMPACT_AT_ROWS) void this.compact().catch(() => undefined);
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
  opts: { writeThrough: boolean; flushMs: number } = { writeThrough: false, flushMs: 250 },
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
