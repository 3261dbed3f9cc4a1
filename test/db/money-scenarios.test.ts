/**
 * The money scenarios of top-ups and charges on every store: the real domain functions (quotes, confirmation
 * under an Idempotency-Key and its concurrent retries, settlement, failed payments, fees, usage charges and their
 * corrections, account start, refunds, statement, reconciliation, the limits) run the same steps on DuckDB, PGlite
 * and a Postgres 15 server, each step asserting its hand-worked answer; at the end every store's money tables,
 * read back and stripped of random ids, must be identical to DuckDB's to the micro-unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, IdempotencyKeyReusedError, LimitExceededError } from '../../worker/errors.js';
import { confirmTopUp } from '../../worker/funding/confirm-topup.js';
import { listTopUps } from '../../worker/funding/create-topup.js';
import { createQuote } from '../../worker/funding/quotes.js';
import { refundBalance } from '../../worker/funding/refund.js';
import { setAccountStart } from '../../worker/funding/set-account-start.js';
import { settleDueTopUps } from '../../worker/funding/settle-due.js';
import { settleTopUp } from '../../worker/funding/settle-topup.js';
import { toMicros } from '../../worker/kernel/money.js';
import { getAccountStart } from '../../worker/ledger/account-start.js';
import { reconcileCharges } from '../../worker/ledger/reconcile.js';
import { buildStatement } from '../../worker/ledger/statement.js';
import { expectSameMoney, moneyFingerprint } from '../helpers/money-scenario.js';
import { openStage, type Stage } from '../helpers/money-scenario-stage.js';
import { STORE_KINDS, stopFileServer, describeOnStores, type StoreKind } from '../helpers/store-kinds.js';

afterAll(stopFileServer);

const fingerprints = new Map<StoreKind, unknown>();

describeOnStores('money scenarios, top-ups and charges: %s', STORE_KINDS, (kind) => {
  let s: Stage;
  beforeAll(async () => {
    s = await openStage(kind);
  });
  afterAll(async () => s?.close());

  it('quote → confirm under an Idempotency-Key: a replay answers the stored result, another body is 422', async () => {
    const first = await s.quoteAndConfirm('n1', '50', 'card', 'key-1');
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
    const quoteId = (await s.db.all<{ q: string }>('SELECT quote_id AS q FROM topups'))[0]!.q;
    const again = await s.inMoney((tx) =>
      confirmTopUp(
        tx,
        { owner: 'p1', idempotencyKey: 'key-1', phoneNumberId: 'n1', quoteId, actor: 'user:test' },
        s.ctx,
      ),
    );
    expect(again).toEqual({ ...first, replayed: true });
    await expect(s.quoteAndConfirm('n1', '51', 'card', 'key-1')).rejects.toThrow(IdempotencyKeyReusedError);
    expect(await listTopUps(s.db, 'n1')).toMatchObject([
      {
        status: 'pending',
        requested_at: '2026-03-10T12:00:00.000Z',
        available_by: '2026-03-10T12:30:00.000Z',
        settled_at: null,
      },
    ]);
    expect(await s.balance('n1')).toBe('0.000000');
  });

  it('settles due top-ups once; a failed payment leaves the balance unchanged; the fee never counts', async () => {
    const failed = await s.quoteAndConfirm('n2', '30', 'card', 'key-2');
    expect(await s.settleDue()).toBe(2);
    expect(await s.settleDue()).toBe(0);
    expect(await s.balance('n1')).toBe('50.000000');
    const late = await s.quoteAndConfirm('n2', '20', 'card', 'key-3');
    const id = late.body.topup_id as string;
    expect(await s.inMoney((tx) => settleTopUp(tx, id, 'failed', s.ctx, 'declined'))).toEqual({
      changed: true,
      status: 'failed',
    });
    expect(await s.inMoney((tx) => settleTopUp(tx, id, 'settled', s.ctx))).toEqual({
      changed: false,
      status: 'failed',
    });
    expect(failed.body.fee).toBe('1.200000');
    expect(await s.balance('n2')).toBe('30.000000');
    const fees = await s.db.all(
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
    await s.charge('w-sp', [
      { phone: 'n1', day: '2026-03-09', amount: '7.000000' },
      { phone: 'n1', day: '2026-03-10', amount: '1.234567' },
      { phone: 'n1', day: '2026-03-11', amount: '0.000001' },
    ]);
    expect(await s.balance('n1')).toBe('48.765432');
    // A correction lowers the 10th, another raises it: each posts the difference as an adjustment.
    await s.charge('w-sp', [{ phone: 'n1', day: '2026-03-10', amount: '1.000000' }]);
    expect(await s.balance('n1')).toBe('48.999999');
    await s.charge('w-sp', [{ phone: 'n1', day: '2026-03-10', amount: '2.500000' }]);
    expect(await s.balance('n1')).toBe('47.499999');
    await s.charge('w-sp', [{ phone: 'n1', day: '2026-03-10', amount: '2.500000' }]);
    const posted = await s.db.all(
      `SELECT kind, amount::VARCHAR AS amount, local_day, ref FROM ledger_movements
          WHERE phone_number_id = 'n1' AND local_day IS NOT NULL ORDER BY seq`,
    );
    expect(posted).toEqual([
      { kind: 'charge', amount: '-1.234567', local_day: '2026-03-10', ref: 'usage:2026-03-10' },
      { kind: 'charge', amount: '-0.000001', local_day: '2026-03-11', ref: 'usage:2026-03-11' },
      { kind: 'adjustment', amount: '0.234567', local_day: '2026-03-10', ref: 'usage:2026-03-10' },
      { kind: 'adjustment', amount: '-1.500000', local_day: '2026-03-10', ref: 'usage:2026-03-10' },
    ]);
    const report = await reconcileCharges(
      { analytics: s.analytics, money: s.db },
      { waba_id: 'w-sp' },
      s.clock.now(),
    );
    expect(report.in_balance).toBe(true);
  });

  it('moves the account start back and clears it, re-posting the difference', async () => {
    const moved = await s.inMoney((tx) =>
      setAccountStart(
        tx,
        {
          phoneNumberId: 'n1',
          wabaId: 'w-sp',
          timezone: 'America/Sao_Paulo',
          startsOn: '2026-03-09',
          actor: 'user:test',
        },
        s.ctx,
      ),
    );
    expect(moved).toEqual({
      phone_number_id: 'n1',
      starts_on: '2026-03-09',
      source: 'partner',
      set_on: '2026-03-09',
      first_topup_on: '2026-03-10',
    });
    expect(await s.balance('n1')).toBe('40.499999');
    await expect(
      s.inMoney((tx) =>
        setAccountStart(
          tx,
          {
            phoneNumberId: 'n1',
            wabaId: 'w-sp',
            timezone: 'America/Sao_Paulo',
            startsOn: '2026-03-11',
            actor: 'user:test',
          },
          s.ctx,
        ),
      ),
    ).rejects.toThrow(ConflictError);
    await s.inMoney((tx) =>
      setAccountStart(
        tx,
        {
          phoneNumberId: 'n1',
          wabaId: 'w-sp',
          timezone: 'America/Sao_Paulo',
          startsOn: null,
          actor: 'user:test',
        },
        s.ctx,
      ),
    );
    expect(await getAccountStart(s.db, 'n1')).toMatchObject({
      starts_on: '2026-03-10',
      source: 'first_topup',
    });
    expect(await s.balance('n1')).toBe('47.499999');
  });

  it('refunds within the settled balance only', async () => {
    const r = await s.inMoney((tx) =>
      refundBalance(
        tx,
        { phone_number_id: 'n1', amount: '4.99', reason: 'unused', actor: 'user:test' },
        s.ctx,
      ),
    );
    expect(r).toMatchObject({ amount: '4.990000', balance: '42.509999', currency: 'BRL' });
    await expect(
      s.inMoney((tx) =>
        refundBalance(
          tx,
          { phone_number_id: 'n1', amount: '42.51', reason: null, actor: 'user:test' },
          s.ctx,
        ),
      ),
    ).rejects.toThrow(ConflictError);
  });

  it('holds the limits: 0.000001 steps, the MAX_BALANCE boundary, sums past 2^53 micro-units', async () => {
    for (let i = 0; i < 10; i++) await s.quoteAndConfirm('n4', '10000000', 'bank_transfer', `big-${i}`);
    // Settled plus pending is now exactly 100,000,000: not one cent more.
    await expect(s.quoteAndConfirm('n4', '0.01', 'bank_transfer', 'big-x')).rejects.toThrow(
      LimitExceededError,
    );
    await s.settleDue();
    expect(await s.balance('n4')).toBe('100000000.000000');
    await s.charge('w-us', [{ phone: 'n4', day: '2026-03-10', amount: '0.000001' }]);
    await s.charge('w-us', [{ phone: 'n4', day: '2026-03-10', amount: '0.000002' }]);
    expect(await s.balance('n4')).toBe('99999999.999998');
    await expect(
      s.charge('w-us', [{ phone: 'n4', day: '2026-03-11', amount: '1000000000.000001' }]),
    ).rejects.toThrow(LimitExceededError);
    // Eleven days at the ledger's row limit: the balance is past 2^53 micro-units below zero, exactly.
    const days = Array.from({ length: 11 }, (_, i) => `2026-03-${String(11 + i).padStart(2, '0')}`);
    s.clock.set('2026-03-22T12:00:00Z');
    await s.charge(
      'w-us',
      days.map((day) => ({ phone: 'n4', day, amount: '999999999.999999' })),
    );
    const b = await s.balance('n4');
    expect(b).toBe('-10899999999.999991');
    expect(-toMicros(b)).toBeGreaterThan(2n ** 53n);
    const statement = await buildStatement(s.db, 'n4', '2026-03', 'UTC');
    expect(statement.closing_balance).toBe(b);
    expect(statement.table.rows.at(-1)).toMatchObject({
      running_balance: b,
      at: '2026-03-22T12:00:00.000Z',
    });
  });

  it('confirms one top-up for concurrent retries of one Idempotency-Key, and settles it once', async () => {
    const q = await s.inMoney((tx) =>
      createQuote(tx, 'n5', { mode: 'one_time', amount: '123.45', payment_method: 'card' }, s.ctx),
    );
    const confirm = () =>
      s.inMoney((tx) =>
        confirmTopUp(
          tx,
          {
            owner: 'p1',
            idempotencyKey: 'race',
            phoneNumberId: 'n5',
            quoteId: q.quote_id,
            actor: 'user:test',
          },
          s.ctx,
        ),
      );
    const answers = await Promise.all(Array.from({ length: 6 }, confirm));
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await listTopUps(s.db, 'n5')).toHaveLength(1);
    s.clock.advance(s.config.settlementDelayMs + 1000);
    const settled = await Promise.all([
      settleDueTopUps(s.jobs()),
      settleDueTopUps(s.jobs()),
      settleDueTopUps(s.jobs()),
    ]);
    expect(settled.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await s.balance('n5')).toBe('123.450000');
  });

  it('reports no failed effect; records its fingerprint', async () => {
    expect(s.errors).toEqual([]);
    fingerprints.set(kind, await moneyFingerprint(s.db, ['n1', 'n2', 'n4', 'n5']));
  });
});

describe('money scenarios, top-ups and charges: every store ends with the same money', () => {
  it('ledger, balances, pending, top-ups, quotes, renewals, audit, alerts and gate state equal DuckDB’s', () => {
    expectSameMoney(fingerprints);
  });
});
