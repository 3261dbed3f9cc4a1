/** DOMAIN.md §9.6 "Balance (360dialog-style defaults)", end to end through the HTTP API and the jobs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleDueTopUps } from '../../worker/funding/settle-due.js';
import { createFixture, topups, type Fixture } from './fixtures.js';

describe('§9.6 balance example: 12.00, threshold 10, amount 50, card 4 %', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(['P1']);
  });
  afterAll(() => f.h.close());

  it('funds 12.00 with a one-time bank transfer (0 % fee) that settles after the delay', async () => {
    const q = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: { mode: 'one_time', amount: '12', payment_method: 'bank_transfer' },
    });
    expect(q.status).toBe(201);
    expect(q.body).toMatchObject({
      amount: '12.000000',
      fee: '0.000000',
      total: '12.000000',
      currency: 'EUR',
    });
    expect(q.body.expires_at).toBe('2025-08-15T12:15:00.000Z');
    const c = await f.json('POST', '/v1/phone-numbers/P1/funds', {
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': 'k-initial' },
    });
    expect(c.status).toBe(202);
    expect(c.body).toMatchObject({ status: 'pending', available_by: '2025-08-15T12:30:00.000Z' });
    expect((await f.json('GET', '/v1/phone-numbers/P1/balance')).body).toMatchObject({
      balance: '0.000000',
      pending: '12.000000',
      state: 'zero',
    });
    f.h.clock.advance(30 * 60 * 1000);
    expect(await settleDueTopUps(f.jobDeps)).toBe(1);
    expect((await f.json('GET', '/v1/phone-numbers/P1/balance')).body).toMatchObject({
      balance: '12.000000',
      pending: '0.000000',
      state: 'positive',
    });
  });

  it('saves auto-renewal (threshold 10, amount 50, card) without firing at 12.00', async () => {
    const r = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: { enabled: true, threshold: '10', amount: '50', payment_method: 'card' },
    });
    expect(r.status).toBe(200);
    expect(r.body.warnings).toEqual([]);
    expect(await topups(f.h, 'P1')).toHaveLength(1);
  });

  it('a 2.50 charge → 9.50 ≤ threshold → exactly one auto top-up: pays 52.00, 50.00 pending', async () => {
    await f.charge('P1', '2025-08-15', '2.50');
    const b = (await f.json('GET', '/v1/phone-numbers/P1/balance')).body;
    expect(b).toMatchObject({ balance: '9.500000', pending: '50.000000', state: 'positive' });
    const auto = (await topups(f.h, 'P1')).filter((t) => t.kind === 'auto');
    expect(auto).toEqual([
      expect.objectContaining({
        status: 'pending',
        amount: '50.000000',
        fee: '2.000000',
        total: '52.000000',
      }),
    ]);
  });

  it('keeps exactly one renewal in flight while more charges arrive; settled balance ignores the pending one', async () => {
    await f.charge('P1', '2025-08-15', '1.00');
    await f.charge('P1', '2025-08-16', '8.50'); // 9.50 − 1.00 − 8.50 = 0.00
    const b = (await f.json('GET', '/v1/phone-numbers/P1/balance')).body;
    expect(b).toMatchObject({ balance: '0.000000', pending: '50.000000', state: 'zero' });
    await f.charge('P1', '2025-08-16', '0.25');
    expect((await f.json('GET', '/v1/phone-numbers/P1/balance')).body.state).toBe('negative');
    expect((await topups(f.h, 'P1')).filter((t) => t.kind !== 'one_time')).toHaveLength(1);
  });

  it('settles ≤ 30 min later: 50.00 becomes available, the 2.00 fee does not reduce the balance', async () => {
    f.h.clock.advance(29 * 60 * 1000);
    expect(await settleDueTopUps(f.jobDeps)).toBe(0);
    f.h.clock.advance(60 * 1000);
    expect(await settleDueTopUps(f.jobDeps)).toBe(1);
    const b = (await f.json('GET', '/v1/phone-numbers/P1/balance')).body;
    expect(b).toMatchObject({ balance: '49.750000', pending: '0.000000', state: 'positive' });
    expect(await settleDueTopUps(f.jobDeps)).toBe(0);
    expect((await topups(f.h, 'P1')).filter((t) => t.kind === 'auto')).toHaveLength(1);
  });

  it('shows it all on the August statement (JSON and CSV)', async () => {
    const s = await f.json('GET', '/v1/phone-numbers/P1/ledger?month=2025-08');
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({
      opening_balance: '0.000000',
      closing_balance: '49.750000',
      currency: 'EUR',
    });
    const kinds = s.body.rows.map((r: { kind: string; balance_effect: string }) => [
      r.kind,
      r.balance_effect,
    ]);
    expect(kinds).toEqual([
      ['topup_one_time', '12.000000'],
      ['charge', '-2.500000'],
      ['adjustment', '-1.000000'],
      ['charge', '-8.500000'],
      ['adjustment', '-0.250000'],
      ['topup_auto', '50.000000'],
      ['fee', '0.000000'],
    ]);
    expect(s.body.rows.at(-1).running_balance).toBe('49.750000');
    const csv = await f.h.call('GET', '/v1/phone-numbers/P1/ledger?month=2025-08&format=csv', {
      token: f.key,
    });
    const text = await csv.text();
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(text.split('\n')[0]).toContain('kind,status,currency,amount,balance_effect,running_balance');
    expect(text).toContain('fee,settled,EUR,2.000000,0.000000,49.750000');
  });
});
