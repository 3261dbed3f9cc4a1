/**
 * The gate's memory is bounded: one client opening windows for ever new customers cannot grow it past the cap
 * (GATE_MAX_CUSTOMERS, plus what is not yet committed), and a customer dropped from memory still decides exactly
 * as before, read back from DuckDB.
 */
import { gateOf } from '../helpers/gate-of.js';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { authorizeMessage, type GateNumber } from '../../worker/gate/authorize-message.js';

const CAP = 200;
const config = normalizeConfig({ GATE_MAX_CUSTOMERS: String(CAP) });
const NUM: GateNumber = { phoneNumberId: 'P1', timezone: 'UTC', pmpFrom: '2025-07-01', currency: 'USD' };
const NOW = Date.now();
const customer = (i: number) => String(4_477_000_000 + i);

describe('gate memory bound', () => {
  let db: DuckDbStore;
  afterEach(() => db.close());

  const send = (i: number, at: number, direction: 'inbound' | 'outbound', dryRun = false) =>
    authorizeMessage(gateOf(db, { config }), config, NUM, {
      direction,
      ...(direction === 'outbound' ? { kind: 'non_template' as const } : {}),
      customer: customer(i),
      at,
      dryRun,
    });

  it('keeps at most the cap (plus the uncommitted) after 2,000 customers; dropped ones decide from DuckDB', async () => {
    db = await openStore({ path: ':memory:' }, new Date());
    const store = gateOf(db, { config }).state;
    let peak = 0;
    // Customers 0…1999 write in (open windows, so nothing is droppable as "closed"); the cap must still hold.
    for (let i = 0; i < 2_000; i++) {
      await send(i, NOW, 'inbound');
      peak = Math.max(peak, store.size);
    }
    expect(peak).toBeLessThanOrEqual(CAP * 1.5 + 1);
    await gateOf(db).state.flush();
    expect(store.size).toBeLessThanOrEqual(CAP);
    // Every early customer was dropped from memory; each still has its window (read back from DuckDB) …
    for (let i = 0; i < 300; i++) expect((await send(i, NOW + 60_000, 'outbound', true)).allowed).toBe(true);
    // … and a customer never seen has none.
    expect((await send(9_999, NOW, 'outbound', true)).allowed).toBe(false);
    expect(store.size).toBeLessThanOrEqual(CAP * 1.5 + 1);
  });

  it('drops customers whose windows all closed before those still open', async () => {
    db = await openStore({ path: ':memory:' }, new Date());
    const store = gateOf(db, { config }).state;
    const past = NOW - 3 * 86_400_000; // their 24 h windows closed two days ago
    for (let i = 0; i < CAP / 2; i++) await send(i, NOW, 'inbound'); // open, and changed first (least recent)
    await gateOf(db).state.flush();
    for (let i = CAP / 2; i < CAP + 50; i++) await send(i, past, 'inbound');
    await gateOf(db).state.flush();
    expect(store.size).toBeLessThanOrEqual(CAP);
    // The open ones stayed in memory although older: a request for them reads nothing from DuckDB.
    await db.run('ALTER TABLE gate_customer_state RENAME TO gate_customer_state_away');
    try {
      for (let i = 0; i < CAP / 2; i++)
        expect((await send(i, NOW + 60_000, 'outbound', true)).allowed).toBe(true);
    } finally {
      await db.run('ALTER TABLE gate_customer_state_away RENAME TO gate_customer_state');
    }
  });
});
