/**
 * The gate's customer states held in memory, bounded: past `max` states the least recently changed are dropped
 * (those whose windows have all closed first), down to 90 % of it so that eviction runs once per many new
 * customers. The caller says which states may not be dropped yet (not committed to DuckDB). A number that lost
 * states is marked partial: a customer it does not hold may still be in DuckDB and must be read from there.
 */
import type { CustomerState } from './customer-state.js';
import { openUntil } from './gate-state-sql.js';

/** One number's customers. */
export type NumberStates = Map<string, CustomerState>;

const EVICT_TO = 0.9;
const SEP = '\u0000';

export const stateKey = (phone: string, customer: string): string => `${phone}${SEP}${customer}`;

export class StateMemory {
  readonly numbers = new Map<string, NumberStates>();
  /** Every state held, by stateKey, least recently changed first. */
  private readonly recency = new Map<string, true>();
  private readonly partial = new Set<string>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.recency.size;
  }

  /** Far over the cap: only uncommitted states are left to drop, and the writer must catch up first. */
  get overflowing(): boolean {
    return this.recency.size > this.max * 1.5;
  }

  isPartial(phone: string): boolean {
    return this.partial.has(phone);
  }

  /** Records that the number holds this customer now (most recently changed); sets the state when given. */
  hold(phone: string, customer: string, state?: CustomerState): void {
    if (state) {
      const states = this.numbers.get(phone);
      if (states && states.get(customer) !== state) states.set(customer, state);
    }
    const key = stateKey(phone, customer);
    this.recency.delete(key);
    this.recency.set(key, true);
  }

  /**
   * Drops states while over the cap; `busy(key)` = not droppable yet. States with an open window are dropped only
   * when `dropOpen` (after a write committed everything, or far over the cap): until then the closed ones,
   * committed a moment later, go first.
   */
  evict(busy: (key: string) => boolean, dropOpen: boolean): void {
    if (this.recency.size <= this.max) return;
    const target = Math.floor(this.max * EVICT_TO);
    const now = Date.now();
    for (const onlyClosed of dropOpen ? [true, false] : [true]) {
      for (const key of this.recency.keys()) {
        if (this.recency.size <= target) return;
        if (busy(key)) continue;
        const cut = key.indexOf(SEP);
        const phone = key.slice(0, cut);
        const customer = key.slice(cut + 1);
        const states = this.numbers.get(phone);
        const state = states?.get(customer);
        if (onlyClosed && state && openUntil(state) > now) continue;
        states?.delete(customer);
        this.recency.delete(key);
        this.partial.add(phone);
      }
    }
  }

  /** Forgets one number (or all): the next request loads it whole from DuckDB. */
  forget(phone?: string): void {
    const drop = phone === undefined ? [...this.numbers.keys()] : [phone];
    for (const p of drop) {
      for (const customer of this.numbers.get(p)?.keys() ?? []) this.recency.delete(stateKey(p, customer));
      this.numbers.delete(p);
      this.partial.delete(p);
    }
  }
}
