/**
 * DECIMAL(18,6) holds less than 10^12. Two settled top-ups of 600,000,000,000 each (written straight into the
 * ledger, as the API no longer accepts them) used to brick the number: balance, refund, gate and statement
 * all answered 500. Amounts are now bounded at the edge (400), a top-up may not take the balance beyond its
 * limit (409), a day's charges beyond the ledger's limit are refused (409), and sums are read without overflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settledBalance } from '../../worker/ledger/ledger.js';
import { LimitExceededError } from '../../worker/errors.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';

const HUGE = '600000000000';

describe('no overflow 500s', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(['P1', 'P2']);
  });
  afterAll(async () => f.h.close());

  it.each([
    [
      'quote',
      '/v1/phone-numbers/P2/funds/quotes',
      { mode: 'one_time', amount: HUGE, payment_method: 'card' },
    ],
    [
      'quote',
      '/v1/phone-numbers/P2/funds/quotes',
      { mode: 'one_time', amount: '10000000.01', payment_method: 'card' },
    ],
    [
      'renewal',
      '/v1/phone-numbers/P2/auto-renewal',
      { enabled: true, threshold: '10', amount: '999999999999.999999', payment_method: 'card' },
    ],
    ['renewal', '/v1/phone-numbers/P2/auto-renewal', { enabled: true, threshold: HUGE, amount: '50' }],
    // Not decimals at all: refused as such, never handed to the amount arithmetic (a 500 once).
    [
      'quote',
      '/v1/phone-numbers/P2/funds/quotes',
      { mode: 'one_time', amount: '1e3', payment_method: 'card' },
    ],
    [
      'quote',
      '/v1/phone-numbers/P2/funds/quotes',
      { mode: 'one_time', amount: 1e21, payment_method: 'card' },
    ],
    ['renewal', '/v1/phone-numbers/P2/auto-renewal', { enabled: true, threshold: 'NaN', amount: '50' }],
    [
      'renewal',
      '/v1/phone-numbers/P2/auto-renewal',
      { enabled: true, threshold: '10', amount: '50', monthly_cap: HUGE },
    ],
  ])('a %s naming an amount beyond the limit or no decimal answers 400', async (_what, path, body) => {
    const method = path.endsWith('auto-renewal') ? 'PUT' : 'POST';
    const r = await f.json(method, path, { body });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid_request');
  });

  it('a number holding two huge settled top-ups still answers every read, refund and send', async () => {
    for (const id of ['mv_huge_1', 'mv_huge_2']) {
      await f.h.money.run(
        `INSERT INTO ledger_movements (movement_id, seq, phone_number_id, kind, amount, affects_balance, currency,
            status, requested_at, available_at, settled_at)
         VALUES ($id, nextval('ledger_seq'), 'P1', 'topup_one_time', CAST($a AS DECIMAL(18, 6)), true, 'EUR',
            'settled', TIMESTAMPTZ '2025-08-10 10:00:00+00', TIMESTAMPTZ '2025-08-10 10:00:00+00',
            TIMESTAMPTZ '2025-08-10 10:00:00+00')`,
        { id, a: HUGE },
      );
    }
    const b = await f.json('GET', '/v1/phone-numbers/P1/balance');
    expect(b).toMatchObject({ status: 200, body: { balance: '1200000000000.000000', state: 'positive' } });
    const all = await f.json('GET', '/v1/balances');
    expect(all.status).toBe(200);
    const st = await f.json('GET', '/v1/phone-numbers/P1/ledger?month=2025-08');
    expect(st.status).toBe(200);
    expect(st.body.closing_balance).toBe('1200000000000.000000');
    const csv = await f.h.call('GET', '/v1/phone-numbers/P1/ledger?month=2025-08&format=csv', {
      token: f.key,
    });
    expect(csv.status).toBe(200);
    const send = await f.json('POST', '/v1/phone-numbers/P1/messages/authorize', {
      body: { direction: 'outbound', recipient: '4915112345678', kind: 'template', category: 'marketing' },
    });
    expect(send.status).toBe(200);
    const refund = await f.json('POST', '/v1/phone-numbers/P1/refunds', {
      body: { amount: '5' },
      headers: { 'idempotency-key': 'r-huge' },
    });
    expect(refund).toMatchObject({ status: 201, body: { balance: '1199999999995.000000' } });
    // Another top-up would take it further beyond the balance limit: a clear 409, not a 500.
    const q = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: { mode: 'one_time', amount: '100', payment_method: 'card' },
    });
    expect(q.status).toBe(409);
    expect(q.body.code).toBe('limit_exceeded');
  });

  it('refuses, with a clear problem, a day of usage charges beyond the ledger limit', async () => {
    await expect(f.charge('P2', '2025-08-12', '1500000000000')).rejects.toBeInstanceOf(LimitExceededError);
    expect(await settledBalance(f.h.money, 'P2')).toBe('0.000000');
    await f.charge('P2', '2025-08-12', '12.5');
    expect(await settledBalance(f.h.money, 'P2')).toBe('-12.500000');
  });

  it('refuses a confirm whose top-up would pass the balance limit (409)', async () => {
    await f.fund('P2', '99999990');
    const q = await f.json('POST', '/v1/phone-numbers/P2/funds/quotes', {
      body: { mode: 'one_time', amount: '20', payment_method: 'bank_transfer' },
    });
    expect(q.status).toBe(201);
    await f.fund('P2', '10');
    const c = await f.json('POST', '/v1/phone-numbers/P2/funds', {
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': 'c-limit' },
    });
    expect(c.status).toBe(409);
    expect(c.body.code).toBe('limit_exceeded');
  });
});
