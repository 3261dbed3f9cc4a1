import { mkdtemp, rm } from 'node:fs/promises';
import { gateOf } from '../helpers/gate-of.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendMovement } from '../../worker/ledger/ledger.js';
import { normalizeConfig } from '../../worker/config.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { authorizeMessage, type GateNumber } from '../../worker/gate/authorize-message.js';

const NUM: GateNumber = { phoneNumberId: 'P1', timezone: 'UTC', pmpFrom: '2025-07-01', currency: 'USD' };
const config = normalizeConfig({});
const H = 3_600_000;
const T0 = Date.parse('2025-03-01T00:00:00Z'); // CBP

describe('gate state persistence', () => {
  let dir = '';
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('survives a store reopen (DuckDB is the truth after a restart)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gate-'));
    const path = join(dir, 'g.duckdb');
    let db = await openStore({ path }, new Date());
    await db.run(`INSERT INTO partners VALUES ('acme', 'Acme', [], now())`);
    await db.run(`INSERT INTO wabas (waba_id, partner_id, name, timezone, currency, created_at)
                  VALUES ('W1', 'acme', 'W1', 'UTC', 'USD', now())`);
    await db.run(
      `INSERT INTO phone_numbers (phone_number_id, waba_id, created_at) VALUES ('P1', 'W1', now())`,
    );
    await appendMovement(db, {
      phone_number_id: 'P1',
      kind: 'topup_one_time',
      amount: '100',
      currency: 'USD',
      status: 'settled',
      requested_at: new Date(T0),
    });
    const base = { customer: '4477000000', dryRun: false } as const;
    // inbound with a CTWA referral at hour 0, marketing template at hour 1 → FEP (closes nothing yet)
    await authorizeMessage(gateOf(db), config, NUM, {
      ...base,
      direction: 'inbound',
      referral: { source_type: 'ad' },
      at: T0,
    });
    await authorizeMessage(gateOf(db), config, NUM, {
      ...base,
      customer: '4477000001',
      direction: 'outbound',
      kind: 'template',
      category: 'utility',
      at: T0,
    });
    const fep = await authorizeMessage(gateOf(db), config, NUM, {
      ...base,
      direction: 'outbound',
      kind: 'template',
      category: 'marketing',
      at: T0 + H,
    });
    expect(fep.reason).toBe('opens_free_entry_point');
    await gateOf(db).state.flush(); // what a clean shutdown does (write-behind by default)
    await db.close();

    db = await openStore({ path }, new Date());
    const inFep = await authorizeMessage(gateOf(db), config, NUM, {
      ...base,
      direction: 'outbound',
      kind: 'non_template',
      at: T0 + 2 * H,
    });
    expect(inFep).toMatchObject({
      reason: 'in_free_entry_point',
      window: { csw_open_until: '2025-03-02T00:00:00.000Z', fep_open_until: '2025-03-04T01:00:00.000Z' },
    });
    const again = await authorizeMessage(gateOf(db), config, NUM, {
      ...base,
      customer: '4477000001',
      direction: 'outbound',
      kind: 'template',
      category: 'utility',
      at: T0 + 3 * H,
    });
    expect(again.reason).toBe('in_open_utility_conversation');
    await gateOf(db).state.flush();
    const rows = await db.all<{ n: string }>('SELECT count(*) AS n FROM gate_customer_state');
    expect(rows[0]?.n).toBe('2');
    await db.close();
  });

  it('write-through commits before answering', async () => {
    const db = await openStore({ path: ':memory:' }, new Date());
    const wt = normalizeConfig({ GATE_WRITE_THROUGH: 'true' });
    await authorizeMessage(gateOf(db, { config: wt }), wt, NUM, {
      customer: '4477000009',
      dryRun: false,
      direction: 'inbound',
      at: T0,
    });
    const rows = await db.all<{ csw: string }>(
      `SELECT strftime(make_timestamptz(csw_until * 1000), '%Y-%m-%dT%H:%M') AS csw FROM gate_state_log
        WHERE customer_wa_id = '4477000009'`,
    );
    expect(rows).toEqual([{ csw: '2025-03-02T00:00' }]);
    await db.close();
  });

  it('reloads from the change log before compaction, and compaction keeps the latest state', async () => {
    const path = join(dir, 'log.duckdb');
    const wt = normalizeConfig({ GATE_WRITE_THROUGH: 'true' });
    const inbound = (at: number) =>
      ({ customer: '4477000010', dryRun: false, direction: 'inbound', at }) as const;
    let db = await openStore({ path }, new Date());
    await authorizeMessage(gateOf(db, { config: wt }), wt, NUM, inbound(T0));
    await authorizeMessage(gateOf(db, { config: wt }), wt, NUM, inbound(T0 + H)); // a second log row for the same customer
    await db.close(); // no flush: nothing compacted
    db = await openStore({ path }, new Date());
    const log = await db.all<{ n: string }>('SELECT count(*) AS n FROM gate_state_log');
    expect(log[0]?.n).toBe('2');
    const d = await authorizeMessage(gateOf(db, { config: wt }), wt, NUM, {
      customer: '4477000010',
      dryRun: true,
      direction: 'outbound',
      kind: 'non_template',
      at: T0 + 2 * H,
    });
    expect(d.window.csw_open_until).toBe('2025-03-02T01:00:00.000Z'); // from the newer log row
    await gateOf(db).state.flush(); // compacts
    const snap = await db.all<{ csw: string }>(
      `SELECT strftime(csw_until, '%Y-%m-%dT%H:%M') AS csw FROM gate_customer_state WHERE customer_wa_id = '4477000010'`,
    );
    expect(snap).toEqual([{ csw: '2025-03-02T01:00' }]);
    expect((await db.all<{ n: string }>('SELECT count(*) AS n FROM gate_state_log'))[0]?.n).toBe('0');
    await db.close();
  });
});
