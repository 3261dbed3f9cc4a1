/**
 * The money scenarios on every store: the real domain functions (quotes, confirmation under an Idempotency-Key,
 * settlement, failed payments, fees, usage charges and their corrections, account start, auto-renewal with a
 * monthly cap, emergency top-ups, refunds, alerts, the send gate's state) run the same steps on DuckDB, PGlite and
 * a Postgres 15 server, each step asserting its hand-worked answer; at the end every store's money tables, read
 * back and stripped of random ids, must be identical to DuckDB's to the micro-unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import type { Db } from '../../worker/db/db.js';
import { planesOf, type Planes } from '../../worker/db/planes.js';
import { openMoneyStore } from '../../worker/db/open-money-store.js';
import { ConflictError, IdempotencyKeyReusedError, LimitExceededError } from '../../worker/errors.js';
import { listAudit } from '../../worker/funding/audit.js';
import { saveAutoRenewal, type AutoRenewalInput } from '../../worker/funding/auto-renewal.js';
import { confirmTopUp } from '../../worker/funding/confirm-topup.js';
import { deliverAlerts } from '../../worker/funding/deliver-alerts.js';
import { silentLogger } from '../../worker/env.js';
import { listTopUps } from '../../worker/funding/create-topup.js';
import { createQuote } from '../../worker/funding/quotes.js';
import { refundBalance } from '../../worker/funding/refund.js';
import { setAccountStart } from '../../worker/funding/set-account-start.js';
import { checkAllRenewals, settleDueTopUps } from '../../worker/funding/settle-due.js';
import { settleTopUp } from '../../worker/funding/settle-topup.js';
import { emptyCustomerState } from '../../worker/gate/customer-state.js';
import { GateStateStore } from '../../worker/gate/gate-state-store.js';
import type { DomainContext } from '../../worker/kernel/domain-context.js';
import { toMicros } from '../../worker/kernel/money.js';
import { getAccountStart } from '../../worker/ledger/account-start.js';
import { ranOutAt } from '../../worker/ledger/ran-out.js';
import { buildStatement } from '../../worker/ledger/statement.js';
import { reconcileCharges } from '../../worker/ledger/reconcile.js';
import { openStore as openDuckDb } from '../../worker/pricing/open-store.js';
import {
  fileServer,
  STORE_KINDS,
  stopFileServer,
  storeSkipped,
  type StoreKind,
} from '../helpers/store-kinds.js';
import { moneyFingerprint, postDayCharges, seedTenancy } from '../helpers/money-scenario.js';

afterAll(stopFileServer);

const START = '2026-03-10T12:00:00Z';
const HOUR = 3_600_000;
const fingerprints = new Map<StoreKind, unknown>();

describe.each(STORE_KINDS)('money scenarios: %s', (kind) => {
  const skipped = storeSkipped(kind);
  if (skipped) it.skip(`skipped: ${skipped}`, () => undefined);
  const d = skipped ? describe.skip : describe;
  d(kind, () => {
    // The money plane, and the analytics plane beside it: the same DuckDB store for duckdb, a DuckDB of its own
    // (usage rollups, tenancy mirror) for the Postgres-SQL stores, as the service runs them.
    let db: Db;
    let analytics: Db;
    const errors: unknown[] = [];
    const clock = new ManualClock(START);
    const config = normalizeConfig({ DB_PATH: ':memory:', DEMO_DATA: 'false' });
    const ctx: DomainContext = { now: () => clock.now(), config };
    const jobs = (limit: string | null = null) => ({
      db: analytics,
      money: db,
      domain: ctx,
      config: { simulatedCardLimit: limit },
    });
    /** A money transaction and the planes it sees (usage read from the analytics plane). */
    const inMoney = <T>(fn: (p: Planes) => Promise<T>) =>
      db.transaction((tx) => fn(planesOf({ db: analytics, money: db }, tx)));
    const balance = async (p: string) =>
      (
        await db.all<{ b: string }>(
          `SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6))::VARCHAR AS b FROM ledger_movements
            WHERE phone_number_id = $p AND status = 'settled' AND affects_balance`,
          { p },
        )
      )[0]!.b;
    const quoteAndConfirm = async (p: string, amount: string, method: string, key: string) => {
      const q = await inMoney((tx) =>
        createQuote(tx, p, { mode: 'one_time', amount, payment_method: method }, ctx),
      );
      return inMoney((tx) =>
        confirmTopUp(
          tx,
          { owner: 'p1', idempotencyKey: key, phoneNumberId: p, quoteId: q.quote_id, actor: 'user:test' },
          ctx,
        ),
      );
    };
    const renewal = (p: string, s: AutoRenewalInput) =>
      db.transaction((tx) => saveAutoRenewal(tx, p, s, 'user:test', clock.now()));
    const settleDue = async (limit: string | null = null) => {
      clock.advance(config.settlementDelayMs + 1000);
      return settleDueTopUps(jobs(limit));
    };

    beforeAll(async () => {
      const onEffectError = (e: unknown) => errors.push(e);
      analytics = await openDuckDb({ path: ':memory:', onEffectError }, clock.now());
      if (kind === 'duckdb') db = analytics;
      else {
        const moneyStore =
          kind === 'pglite'
            ? ({ kind: 'pglite', dir: null } as const)
            : ({ kind: 'postgres', url: (await fileServer()).url } as const);
        db = await openMoneyStore({ moneyStore }, { onEffectError });
        await seedTenancy(analytics, clock.now());
      }
      await seedTenancy(db, clock.now());
    });
    afterAll(async () => {
      if (db !== analytics) await db?.close();
      await analytics?.close();
    });

    it('quote → confirm under an Idempotency-Key: a replay answers the stored result, another body is 422', async () => {
      const first = await quoteAndConfirm('n1', '50', 'card', 'key-1');
      expect(first).toMatchObject({
        status: 202,
        replayed: false,
        body: {
          status: 'pending',
          currency: 'BRL',
          amount: '50.000000',
          fee: '2.000000',
          total: '52.000000',
        },
      });
      const quoteId = (await db.all<{ q: string }>('SELECT quote_id AS q FROM topups'))[0]!.q;
      const again = await inMoney((tx) =>
        confirmTopUp(
          tx,
          { owner: 'p1', idempotencyKey: 'key-1', phoneNumberId: 'n1', quoteId, actor: 'user:test' },
          ctx,
        ),
      );
      expect(again).toEqual({ ...first, replayed: true });
      await expect(quoteAndConfirm('n1', '51', 'card', 'key-1')).rejects.toThrow(IdempotencyKeyReusedError);
      expect(await listTopUps(db, 'n1')).toMatchObject([
        {
          status: 'pending',
          requested_at: '2026-03-10T12:00:00.000Z',
          available_by: '2026-03-10T12:30:00.000Z',
          settled_at: null,
        },
      ]);
      expect(await balance('n1')).toBe('0.000000');
    });

    it('settles due top-ups once; a failed payment leaves the balance unchanged; the fee never counts', async () => {
      const failed = await quoteAndConfirm('n2', '30', 'card', 'key-2');
      expect(await settleDue()).toBe(2);
      expect(await settleDue()).toBe(0);
      expect(await balance('n1')).toBe('50.000000');
      const late = await quoteAndConfirm('n2', '20', 'card', 'key-3');
      const id = late.body.topup_id as string;
      expect(await inMoney((tx) => settleTopUp(tx, id, 'failed', ctx, 'declined'))).toEqual({
        changed: true,
        status: 'failed',
      });
      expect(await inMoney((tx) => settleTopUp(tx, id, 'settled', ctx))).toEqual({
        changed: false,
        status: 'failed',
      });
      expect(failed.body.fee).toBe('1.200000');
      expect(await balance('n2')).toBe('30.000000');
      const fees = await db.all(
        `SELECT amount::VARCHAR AS amount, affects_balance, status FROM ledger_movements
          WHERE kind = 'fee' ORDER BY seq`,
      );
      expect(fees).toEqual([
        { amount: '2.000000', affects_balance: false, status: 'settled' },
        { amount: '1.200000', affects_balance: false, status: 'settled' },
        { amount: '0.800000', affects_balance: false, status: 'failed' },
      ]);
    });

    it('posts usage charges per (number, local day) from the account start, and only differences', async () => {
      // n1's account started on its first top-up, 2026-03-10 in São Paulo: the 9th is history.
      await postDayCharges({ analytics, money: db }, ctx, 'w-sp', [
        { phone: 'n1', day: '2026-03-09', amount: '7.000000' },
        { phone: 'n1', day: '2026-03-10', amount: '1.234567' },
        { phone: 'n1', day: '2026-03-11', amount: '0.000001' },
      ]);
      expect(await balance('n1')).toBe('48.765432');
      // A correction lowers the 10th, another raises it: each posts the difference as an adjustment.
      await postDayCharges({ analytics, money: db }, ctx, 'w-sp', [
        { phone: 'n1', day: '2026-03-10', amount: '1.000000' },
      ]);
      expect(await balance('n1')).toBe('48.999999');
      await postDayCharges({ analytics, money: db }, ctx, 'w-sp', [
        { phone: 'n1', day: '2026-03-10', amount: '2.500000' },
      ]);
      expect(await balance('n1')).toBe('47.499999');
      await postDayCharges({ analytics, money: db }, ctx, 'w-sp', [
        { phone: 'n1', day: '2026-03-10', amount: '2.500000' },
      ]);
      const posted = await db.all(
        `SELECT kind, amount::VARCHAR AS amount, local_day, ref FROM ledger_movements
          WHERE phone_number_id = 'n1' AND local_day IS NOT NULL ORDER BY seq`,
      );
      expect(posted).toEqual([
        { kind: 'charge', amount: '-1.234567', local_day: '2026-03-10', ref: 'usage:2026-03-10' },
        { kind: 'charge', amount: '-0.000001', local_day: '2026-03-11', ref: 'usage:2026-03-11' },
        { kind: 'adjustment', amount: '0.234567', local_day: '2026-03-10', ref: 'usage:2026-03-10' },
        { kind: 'adjustment', amount: '-1.500000', local_day: '2026-03-10', ref: 'usage:2026-03-10' },
      ]);
      const report = await reconcileCharges({ analytics, money: db }, { waba_id: 'w-sp' }, clock.now());
      expect(report.in_balance).toBe(true);
    });

    it('moves the account start back and clears it, re-posting the difference', async () => {
      const moved = await inMoney((tx) =>
        setAccountStart(
          tx,
          {
            phoneNumberId: 'n1',
            wabaId: 'w-sp',
            timezone: 'America/Sao_Paulo',
            startsOn: '2026-03-09',
            actor: 'user:test',
          },
          ctx,
        ),
      );
      expect(moved).toEqual({
        phone_number_id: 'n1',
        starts_on: '2026-03-09',
        source: 'partner',
        set_on: '2026-03-09',
        first_topup_on: '2026-03-10',
      });
      expect(await balance('n1')).toBe('40.499999');
      await expect(
        inMoney((tx) =>
          setAccountStart(
            tx,
            {
              phoneNumberId: 'n1',
              wabaId: 'w-sp',
              timezone: 'America/Sao_Paulo',
              startsOn: '2026-03-11',
              actor: 'user:test',
            },
            ctx,
          ),
        ),
      ).rejects.toThrow(ConflictError);
      await inMoney((tx) =>
        setAccountStart(
          tx,
          {
            phoneNumberId: 'n1',
            wabaId: 'w-sp',
            timezone: 'America/Sao_Paulo',
            startsOn: null,
            actor: 'user:test',
          },
          ctx,
        ),
      );
      expect(await getAccountStart(db, 'n1')).toMatchObject({
        starts_on: '2026-03-10',
        source: 'first_topup',
      });
      expect(await balance('n1')).toBe('47.499999');
    });

    it('renews when the balance falls to the threshold, within the monthly cap, and alerts once per crossing', async () => {
      await renewal('n1', {
        enabled: true,
        threshold: '40',
        mode: 'fixed',
        amount: '25',
        monthly_cap: '30',
        payment_method: 'bank_transfer',
        low_balance_threshold: '45',
      });
      await postDayCharges({ analytics, money: db }, ctx, 'w-sp', [
        { phone: 'n1', day: '2026-03-12', amount: '7.499999' },
      ]);
      expect(await balance('n1')).toBe('40.000000');
      expect(await listTopUps(db, 'n1')).toMatchObject([
        { kind: 'auto', amount: '25.000000', status: 'pending' },
        {},
      ]);
      await checkAllRenewals(jobs());
      expect(await listTopUps(db, 'n1')).toHaveLength(2);
      expect(await settleDue()).toBe(1);
      expect(await balance('n1')).toBe('65.000000');
      await postDayCharges({ analytics, money: db }, ctx, 'w-sp', [
        { phone: 'n1', day: '2026-03-13', amount: '25.000001' },
      ]);
      // The cap leaves 5 of the 25 this month.
      expect((await listTopUps(db, 'n1'))[0]).toMatchObject({ kind: 'auto', amount: '5.000000' });
      expect(await settleDue()).toBe(1);
      expect(await balance('n1')).toBe('44.999999');
      await postDayCharges({ analytics, money: db }, ctx, 'w-sp', [
        { phone: 'n1', day: '2026-03-14', amount: '10' },
      ]);
      await checkAllRenewals(jobs());
      expect(await listTopUps(db, 'n1')).toHaveLength(3);
      const alerts = await db.all(
        `SELECT kind, message FROM alerts WHERE phone_number_id = 'n1' ORDER BY seq`,
      );
      expect(alerts).toEqual([
        { kind: 'low_balance', message: 'The balance 40.000000 is at or below the alert level 45.000000.' },
        { kind: 'low_balance', message: 'The balance 39.999999 is at or below the alert level 45.000000.' },
      ]);
      expect(await db.all(`SELECT kind, active FROM alert_states WHERE phone_number_id = 'n1'`)).toEqual([
        { kind: 'low_balance', active: true },
      ]);
    });

    it('refunds within the settled balance only', async () => {
      const r = await inMoney((tx) =>
        refundBalance(
          tx,
          { phone_number_id: 'n1', amount: '4.99', reason: 'unused', actor: 'user:test' },
          ctx,
        ),
      );
      expect(r).toMatchObject({ amount: '4.990000', balance: '30.009999', currency: 'BRL' });
      await expect(
        inMoney((tx) =>
          refundBalance(
            tx,
            { phone_number_id: 'n1', amount: '30.01', reason: null, actor: 'user:test' },
            ctx,
          ),
        ),
      ).rejects.toThrow(ConflictError);
    });

    it('after three failed renewal payments turns renewal off and raises alerts', async () => {
      await renewal('n2', {
        enabled: true,
        threshold: '40',
        mode: 'fixed',
        amount: '20',
        monthly_cap: null,
        payment_method: 'card',
        low_balance_threshold: null,
      });
      for (let i = 0; i < 3; i++) {
        await checkAllRenewals(jobs());
        expect(await settleDue('1')).toBe(0);
      }
      await checkAllRenewals(jobs());
      expect((await listTopUps(db, 'n2')).map((t) => `${t.kind} ${t.status}`)).toEqual([
        'auto failed',
        'auto failed',
        'auto failed',
        'one_time failed',
        'one_time settled',
      ]);
      expect(await balance('n2')).toBe('30.000000');
      const audit = await listAudit(db, 'n2');
      expect(audit.map((a) => a.action)).toEqual([
        'auto_renewal.update',
        'auto_renewal.disabled_after_failures',
      ]);
      expect(
        (
          await db.all<{ kind: string }>(`SELECT kind FROM alerts WHERE phone_number_id = 'n2' ORDER BY seq`)
        ).map((a) => a.kind),
      ).toEqual(['renewal_failed', 'renewal_failed', 'renewal_failed', 'renewal_disabled']);
    });

    it('makes one emergency top-up per drop below zero when the user turned renewal off', async () => {
      await quoteAndConfirm('n3', '100', 'bank_transfer', 'key-4');
      await settleDue();
      await renewal('n3', {
        enabled: false,
        threshold: '10',
        mode: 'fixed',
        amount: '50',
        monthly_cap: null,
        payment_method: 'bank_transfer',
        low_balance_threshold: null,
      });
      const today = (await getAccountStart(db, 'n3')).starts_on!;
      await postDayCharges({ analytics, money: db }, ctx, 'w-in', [
        { phone: 'n3', day: today, amount: '150.5' },
      ]);
      expect(await balance('n3')).toBe('-50.500000');
      expect((await listTopUps(db, 'n3'))[0]).toMatchObject({ kind: 'emergency', amount: '50.000000' });
      await settleDue();
      expect(await balance('n3')).toBe('-0.500000');
      await checkAllRenewals(jobs());
      expect(await listTopUps(db, 'n3')).toHaveLength(2);
      expect(await db.all('SELECT phone_number_id FROM emergency_drops')).toEqual([
        { phone_number_id: 'n3' },
      ]);
      expect((await ranOutAt(db, ['n3'])).get('n3')).toMatch(/^2026-03-1\dT\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('holds the limits: 0.000001 steps, the MAX_BALANCE boundary, sums past 2^53 micro-units', async () => {
      for (let i = 0; i < 10; i++) await quoteAndConfirm('n4', '10000000', 'bank_transfer', `big-${i}`);
      // Settled plus pending is now exactly 100,000,000: not one cent more.
      await expect(quoteAndConfirm('n4', '0.01', 'bank_transfer', 'big-x')).rejects.toThrow(
        LimitExceededError,
      );
      await settleDue();
      expect(await balance('n4')).toBe('100000000.000000');
      await postDayCharges({ analytics, money: db }, ctx, 'w-us', [
        { phone: 'n4', day: '2026-03-10', amount: '0.000001' },
      ]);
      await postDayCharges({ analytics, money: db }, ctx, 'w-us', [
        { phone: 'n4', day: '2026-03-10', amount: '0.000002' },
      ]);
      expect(await balance('n4')).toBe('99999999.999998');
      await expect(
        postDayCharges({ analytics, money: db }, ctx, 'w-us', [
          { phone: 'n4', day: '2026-03-11', amount: '1000000000.000001' },
        ]),
      ).rejects.toThrow(LimitExceededError);
      // Eleven days at the ledger's row limit: the balance is past 2^53 micro-units below zero, exactly.
      const days = Array.from({ length: 11 }, (_, i) => `2026-03-${String(11 + i).padStart(2, '0')}`);
      clock.set('2026-03-22T12:00:00Z');
      await postDayCharges(
        { analytics, money: db },
        ctx,
        'w-us',
        days.map((day) => ({ phone: 'n4', day, amount: '999999999.999999' })),
      );
      const b = await balance('n4');
      expect(b).toBe('-10899999999.999991');
      expect(-toMicros(b)).toBeGreaterThan(2n ** 53n);
      const statement = await buildStatement(db, 'n4', '2026-03', 'UTC');
      expect(statement.closing_balance).toBe(b);
      expect(statement.table.rows.at(-1)).toMatchObject({
        running_balance: b,
        at: '2026-03-22T12:00:00.000Z',
      });
    });

    it('saves and loads the send gate state of customers (log, then compacted snapshot)', async () => {
      const at = Date.parse('2026-03-22T12:00:00.123Z');
      const store = new GateStateStore(db, { writeThrough: true, flushMs: 10 });
      const odd = 'cust "\u001e,\\ 1';
      const s = emptyCustomerState();
      s.cswUntil = at + 24 * HOUR;
      s.conv.marketing = at + 24 * HOUR + 1;
      await store.save('n1', odd, s, at);
      const t = emptyCustomerState();
      t.fepUntil = at + 72 * HOUR;
      await store.save('n1', 'c2', t, at);
      const fresh = () => new GateStateStore(db, { writeThrough: true, flushMs: 10 }).states('n1');
      expect(await fresh()).toEqual(
        new Map([
          [odd, s],
          ['c2', t],
        ]),
      );
      await store.flush();
      expect(await db.all('SELECT count(*)::INTEGER AS n FROM gate_state_log')).toEqual([{ n: 0 }]);
      const s2 = { ...s, referralUntil: at + 5 };
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

    it('confirms one top-up for concurrent retries of one Idempotency-Key, and settles it once', async () => {
      const q = await inMoney((tx) =>
        createQuote(tx, 'n5', { mode: 'one_time', amount: '123.45', payment_method: 'card' }, ctx),
      );
      const confirm = () =>
        inMoney((tx) =>
          confirmTopUp(
            tx,
            {
              owner: 'p1',
              idempotencyKey: 'race',
              phoneNumberId: 'n5',
              quoteId: q.quote_id,
              actor: 'user:test',
            },
            ctx,
          ),
        );
      const answers = await Promise.all(Array.from({ length: 6 }, confirm));
      expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect(await listTopUps(db, 'n5')).toHaveLength(1);
      clock.advance(config.settlementDelayMs + 1000);
      const settled = await Promise.all([
        settleDueTopUps(jobs()),
        settleDueTopUps(jobs()),
        settleDueTopUps(jobs()),
      ]);
      expect(settled.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await balance('n5')).toBe('123.450000');
    });

    it('delivers alert webhooks, signed, and retries a refused one with backoff', async () => {
      const sent: { kind: string; created_at: string; signature: string }[] = [];
      const deliver = () =>
        deliverAlerts({
          money: db,
          clock,
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
      expect(first).toBe(Number((await db.all<{ n: string }>('SELECT count(*) AS n FROM alerts'))[0]!.n));
      expect(sent.every((s) => /^sha256=[0-9a-f]{64}$/.test(s.signature))).toBe(true);
      expect(sent.every((s) => /^2026-03-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s.created_at))).toBe(true);
      expect(await deliver()).toBe(0);
      clock.advance(10_000);
      expect(await deliver()).toBe(3);
      const states = await db.all(
        `SELECT status, attempts, count(*)::INTEGER AS n FROM alert_deliveries GROUP BY status, attempts
          ORDER BY status, attempts`,
      );
      expect(states).toEqual([
        { status: 'delivered', attempts: 1, n: first - 3 },
        { status: 'pending', attempts: 2, n: 3 },
      ]);
    });

    it('reports no failed effect; records its fingerprint', async () => {
      expect(errors).toEqual([]);
      fingerprints.set(kind, await moneyFingerprint(db, ['n1', 'n2', 'n3', 'n4', 'n5']));
    });
  });
});

describe('money scenarios: every store ends with the same money', () => {
  it('ledger, balances, pending, top-ups, quotes, renewals, audit, alerts and gate state equal DuckDB’s', () => {
    const base = fingerprints.get('duckdb');
    expect(base).toBeDefined();
    for (const kind of STORE_KINDS) {
      if (kind === 'duckdb' || storeSkipped(kind)) continue;
      expect({ kind, fingerprint: fingerprints.get(kind) }).toEqual({ kind, fingerprint: base });
    }
  });
});
