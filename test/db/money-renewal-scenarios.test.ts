/**
 * The money scenarios of auto-renewal and alerts on every store: renewal at the threshold within a monthly cap,
 * the failure streak that turns renewal off, one emergency top-up per drop below zero, low-balance alerts once per
 * crossing, alert webhook delivery and its retry, and the send gate's customer state, run as the same steps with
 * the real domain functions on DuckDB, PGlite and a Postgres 15 server; at the end every store's money tables,
 * read back and stripped of random ids, must be identical to DuckDB's to the micro-unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../worker/env.js';
import { listAudit } from '../../worker/funding/audit.js';
import { listTopUps } from '../../worker/funding/create-topup.js';
import { deliverAlerts } from '../../worker/funding/deliver-alerts.js';
import { checkAllRenewals } from '../../worker/funding/settle-due.js';
import { emptyCustomerState } from '../../worker/gate/customer-state.js';
import { GateStateStore } from '../../worker/gate/gate-state-store.js';
import { getAccountStart } from '../../worker/ledger/account-start.js';
import { ranOutAt } from '../../worker/ledger/ran-out.js';
import { expectSameMoney, moneyFingerprint } from '../helpers/money-scenario.js';
import { openStage, type Stage } from '../helpers/money-scenario-stage.js';
import { STORE_KINDS, stopFileServer, describeOnStores, type StoreKind } from '../helpers/store-kinds.js';

const HOUR = 3_600_000;

afterAll(stopFileServer);

const fingerprints = new Map<StoreKind, unknown>();

describeOnStores('money scenarios, renewal and alerts: %s', STORE_KINDS, (kind) => {
  let s: Stage;
  beforeAll(async () => {
    s = await openStage(kind);
  });
  afterAll(async () => s?.close());

  it('starts from funded accounts: n1 at 50.00 less 2.500001 of usage, n2 at 30.00', async () => {
    await s.quoteAndConfirm('n1', '50', 'bank_transfer', 'key-1');
    await s.quoteAndConfirm('n2', '30', 'card', 'key-2');
    expect(await s.settleDue()).toBe(2);
    await s.charge('w-sp', [{ phone: 'n1', day: '2026-03-10', amount: '2.500001' }]);
    expect(await s.balance('n1')).toBe('47.499999');
    expect(await s.balance('n2')).toBe('30.000000');
  });

  it('renews when the balance falls to the threshold, within the monthly cap, and alerts once per crossing', async () => {
    await s.renewal('n1', {
      enabled: true,
      threshold: '40',
      mode: 'fixed',
      amount: '25',
      monthly_cap: '30',
      payment_method: 'bank_transfer',
      low_balance_threshold: '45',
    });
    await s.charge('w-sp', [{ phone: 'n1', day: '2026-03-12', amount: '7.499999' }]);
    expect(await s.balance('n1')).toBe('40.000000');
    expect(await listTopUps(s.db, 'n1')).toMatchObject([
      { kind: 'auto', amount: '25.000000', status: 'pending' },
      {},
    ]);
    await checkAllRenewals(s.jobs());
    expect(await listTopUps(s.db, 'n1')).toHaveLength(2);
    expect(await s.settleDue()).toBe(1);
    expect(await s.balance('n1')).toBe('65.000000');
    await s.charge('w-sp', [{ phone: 'n1', day: '2026-03-13', amount: '25.000001' }]);
    // The cap leaves 5 of the 25 this month.
    expect((await listTopUps(s.db, 'n1'))[0]).toMatchObject({ kind: 'auto', amount: '5.000000' });
    expect(await s.settleDue()).toBe(1);
    expect(await s.balance('n1')).toBe('44.999999');
    await s.charge('w-sp', [{ phone: 'n1', day: '2026-03-14', amount: '10' }]);
    await checkAllRenewals(s.jobs());
    expect(await listTopUps(s.db, 'n1')).toHaveLength(3);
    const alerts = await s.db.all(
      `SELECT kind, message FROM alerts WHERE phone_number_id = 'n1' ORDER BY seq`,
    );
    expect(alerts).toEqual([
      { kind: 'low_balance', message: 'The balance 40.000000 is at or below the alert level 45.000000.' },
      { kind: 'low_balance', message: 'The balance 39.999999 is at or below the alert level 45.000000.' },
    ]);
    expect(await s.db.all(`SELECT kind, active FROM alert_states WHERE phone_number_id = 'n1'`)).toEqual([
      { kind: 'low_balance', active: true },
    ]);
  });

  it('after three failed renewal payments turns renewal off and raises alerts', async () => {
    await s.renewal('n2', {
      enabled: true,
      threshold: '40',
      mode: 'fixed',
      amount: '20',
      monthly_cap: null,
      payment_method: 'card',
      low_balance_threshold: null,
    });
    for (let i = 0; i < 3; i++) {
      await checkAllRenewals(s.jobs());
      expect(await s.settleDue('1')).toBe(0);
    }
    await checkAllRenewals(s.jobs());
    expect((await listTopUps(s.db, 'n2')).map((t) => `${t.kind} ${t.status}`)).toEqual([
      'auto failed',
      'auto failed',
      'auto failed',
      'one_time settled',
    ]);
    expect(await s.balance('n2')).toBe('30.000000');
    const audit = await listAudit(s.db, 'n2');
    expect(audit.map((a) => a.action)).toEqual([
      'auto_renewal.update',
      'auto_renewal.disabled_after_failures',
    ]);
    expect(
      (
        await s.db.all<{ kind: string }>(`SELECT kind FROM alerts WHERE phone_number_id = 'n2' ORDER BY seq`)
      ).map((a) => a.kind),
    ).toEqual(['renewal_failed', 'renewal_failed', 'renewal_failed', 'renewal_disabled']);
  });

  it('makes one emergency top-up per drop below zero when the user turned renewal off', async () => {
    await s.quoteAndConfirm('n3', '100', 'bank_transfer', 'key-4');
    await s.settleDue();
    await s.renewal('n3', {
      enabled: false,
      threshold: '10',
      mode: 'fixed',
      amount: '50',
      monthly_cap: null,
      payment_method: 'bank_transfer',
      low_balance_threshold: null,
    });
    const today = (await getAccountStart(s.db, 'n3')).starts_on!;
    await s.charge('w-in', [{ phone: 'n3', day: today, amount: '150.5' }]);
    expect(await s.balance('n3')).toBe('-50.500000');
    expect((await listTopUps(s.db, 'n3'))[0]).toMatchObject({ kind: 'emergency', amount: '50.000000' });
    await s.settleDue();
    expect(await s.balance('n3')).toBe('-0.500000');
    await checkAllRenewals(s.jobs());
    expect(await listTopUps(s.db, 'n3')).toHaveLength(2);
    expect(await s.db.all('SELECT phone_number_id FROM emergency_drops')).toEqual([
      { phone_number_id: 'n3' },
    ]);
    expect((await ranOutAt(s.db, ['n3'])).get('n3')).toMatch(/^2026-03-1\dT\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('delivers alert webhooks, signed, and retries a refused one with backoff', async () => {
    const sent: { kind: string; created_at: string; signature: string }[] = [];
    const deliver = () =>
      deliverAlerts({
        money: s.db,
        clock: s.clock,
        log: silentLogger,
        config: { alertWebhookAllowNetworks: [] },
        host: {
          postWebhook: (_url, req) => {
            const body = JSON.parse(req.body) as { kind: string; created_at: string };
            sent.push({
              kind: body.kind,
              created_at: body.created_at,
              signature: req.headers['x-signature']!,
            });
            return Promise.resolve({ status: body.kind === 'renewal_failed' ? 503 : 200 });
          },
        },
      });
    const first = await deliver();
    expect(first).toBe(Number((await s.db.all<{ n: string }>('SELECT count(*) AS n FROM alerts'))[0]!.n));
    expect(sent.every((s) => /^sha256=[0-9a-f]{64}$/.test(s.signature))).toBe(true);
    expect(sent.every((s) => /^2026-03-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s.created_at))).toBe(true);
    expect(await deliver()).toBe(0);
    s.clock.advance(10_000);
    expect(await deliver()).toBe(3);
    const states = await s.db.all(
      `SELECT status, attempts, count(*)::INTEGER AS n FROM alert_deliveries GROUP BY status, attempts
          ORDER BY status, attempts`,
    );
    expect(states).toEqual([
      { status: 'delivered', attempts: 1, n: first - 3 },
      { status: 'pending', attempts: 2, n: 3 },
    ]);
  });

  it('saves and loads the send gate state of customers (log, then compacted snapshot)', async () => {
    const at = Date.parse('2026-03-22T12:00:00.123Z');
    const store = new GateStateStore(s.db, { writeThrough: true, flushMs: 10 });
    const odd = 'cust "\u001e,\\ 1';
    const u = emptyCustomerState();
    u.cswUntil = at + 24 * HOUR;
    u.conv.marketing = at + 24 * HOUR + 1;
    await store.save('n1', odd, u, at);
    const t = emptyCustomerState();
    t.fepUntil = at + 72 * HOUR;
    await store.save('n1', 'c2', t, at);
    const fresh = () => new GateStateStore(s.db, { writeThrough: true, flushMs: 10 }).states('n1');
    expect(await fresh()).toEqual(
      new Map([
        [odd, u],
        ['c2', t],
      ]),
    );
    await store.flush();
    expect(await s.db.all('SELECT count(*)::INTEGER AS n FROM gate_state_log')).toEqual([{ n: 0 }]);
    const s2 = { ...u, referralUntil: at + 5 };
    await store.save('n1', odd, s2, at + 1);
    expect(await fresh()).toEqual(
      new Map([
        [odd, s2],
        ['c2', t],
      ]),
    );
    await store.flush();
    expect(await fresh()).toEqual(
      new Map([
        [odd, s2],
        ['c2', t],
      ]),
    );
  });

  it('reports no failed effect; records its fingerprint', async () => {
    expect(s.errors).toEqual([]);
    fingerprints.set(kind, await moneyFingerprint(s.db, ['n1', 'n2', 'n3']));
  });
});

describe('money scenarios, renewal and alerts: every store ends with the same money', () => {
  it('ledger, balances, pending, top-ups, quotes, renewals, audit, alerts and gate state equal DuckDB’s', () => {
    expectSameMoney(fingerprints);
  });
});
