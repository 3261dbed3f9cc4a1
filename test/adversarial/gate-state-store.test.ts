/**
 * The gate's state store against hostile customer ids and a failing writer: a wa_id holding the old record and
 * field separators (\x1e, \x1f) cannot write another number's windows nor break a flush for everyone, and a
 * failed flush is logged and loses no one's windows.
 */
import { gateOf } from '../helpers/gate-of.js';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openStore } from '../../worker/pricing/open-store.js';
import type { Logger } from '../../worker/env.js';
import { authorizeMessage, type GateNumber } from '../../worker/gate/authorize-message.js';
import { learnWindows } from '../../worker/gate/learn-windows.js';
import { createHarness } from '../helpers/harness.js';

const config = normalizeConfig({});
const NOW = Date.now();
const num = (id: string): GateNumber => ({
  phoneNumberId: id,
  timezone: 'UTC',
  pmpFrom: '2025-07-01',
  currency: 'USD',
});
/** May a free-form reply go to this customer now (is the service window open)? */
const windowOpen = async (db: DuckDbStore, phone: string, customer: string) =>
  (
    await authorizeMessage(gateOf(db), config, num(phone), {
      direction: 'outbound',
      kind: 'non_template',
      customer,
      at: NOW,
      dryRun: true,
    })
  ).allowed;

describe('gate state store against hostile ids', () => {
  let db: DuckDbStore;
  afterEach(() => db.close());

  it('stores a customer id holding separators as one exact value, forging nothing for another number', async () => {
    db = await openStore({ path: ':memory:' }, new Date());
    const forged = `4477000001\u001fP-victim\u001f4477000002\u001f${NOW + 86_400_000}`;
    const forgedRecords = `4477000001\u001e${forged}`;
    const changed = await learnWindows(
      gateOf(db).state,
      {
        inbound: [forged, forgedRecords, '15551230000'].map((customer) => ({
          phone_number_id: 'P-attacker',
          customer,
          at: NOW,
          referral: null,
        })),
        conversations: [],
      },
      NOW,
    );
    expect(changed).toBe(3);
    await gateOf(db).state.flush(); // the write and the compaction must both succeed
    gateOf(db).state.forget(); // as after a restart: DuckDB is the truth
    expect(await windowOpen(db, 'P-victim', '4477000002')).toBe(false);
    expect(await windowOpen(db, 'P-attacker', '4477000001')).toBe(false);
    expect(await windowOpen(db, 'P-attacker', forged)).toBe(true);
    expect(await windowOpen(db, 'P-attacker', forgedRecords)).toBe(true);
    expect(await windowOpen(db, 'P-attacker', '15551230000')).toBe(true);
    const rows = await db.all<{ p: string; c: string }>(
      'SELECT phone_number_id AS p, customer_wa_id AS c FROM gate_customer_state ORDER BY 2',
    );
    expect(rows).toEqual([forgedRecords, forged, '15551230000'].sort().map((c) => ({ p: 'P-attacker', c })));
  });

  it('logs a failed flush, keeps every tenant’s windows pending and writes them once the store recovers', async () => {
    db = await openStore({ path: ':memory:' }, new Date());
    const errors: string[] = [];
    const log: Logger = { info: () => {}, warn: () => {}, error: (msg) => errors.push(msg) };
    gateOf(db, { state: { writeThrough: false, flushMs: 5 }, log });
    for (const phone of ['P-a', 'P-b']) await windowOpen(db, phone, '1'); // loads both numbers
    await db.run('ALTER TABLE gate_state_log RENAME TO gate_state_log_away');
    const signals = (phone: string, customer: string) => ({
      inbound: [{ phone_number_id: phone, customer, at: NOW, referral: null }],
      conversations: [],
    });
    await learnWindows(gateOf(db).state, signals('P-a', '4915112340001'), NOW);
    await learnWindows(gateOf(db).state, signals('P-b', '4915112340002'), NOW);
    await expect(gateOf(db).state.flush()).rejects.toThrow();
    expect(errors).toContain('gate state write failed');
    await db.run('ALTER TABLE gate_state_log_away RENAME TO gate_state_log');
    await gateOf(db).state.flush();
    gateOf(db).state.forget();
    expect(await windowOpen(db, 'P-a', '4915112340001')).toBe(true);
    expect(await windowOpen(db, 'P-b', '4915112340002')).toBe(true);
  });
});

describe('webhook wa ids at the edge', () => {
  it('refuses an inbound `from` that is not a wa_id (422) and teaches the gate nothing', async () => {
    const h = await createHarness();
    try {
      const key = await h.partner('acme');
      await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
      const envelope = (from: string) =>
        JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [
            {
              id: 'W1',
              changes: [
                {
                  field: 'messages',
                  value: {
                    metadata: { phone_number_id: 'P1', display_phone_number: '15550001111' },
                    messages: [{ id: 'wamid.in1', from, timestamp: String(Math.floor(NOW / 1000)) }],
                  },
                },
              ],
            },
          ],
        });
      for (const from of ['4477\u001fP2\u001f4478', '4477\u001e4478', '+4477000000', '44 77']) {
        const r = await h.json('POST', '/v1/ingest?format=webhooks', { token: key, body: envelope(from) });
        expect(r.status).toBe(422);
        expect(r.body.issues).toEqual([
          { line: 1, column: 'messages.from', reason: expect.stringContaining('digits of a phone number') },
        ]);
      }
      await h.services.gate.state.flush();
      const rows = await h.db.all('SELECT * FROM gate_customer_state');
      expect(rows).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
