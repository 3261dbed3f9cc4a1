/**
 * At most one emergency top-up per drop below zero: with auto-renewal switched off by the user, a drop to
 * −400 with a saved amount of 50 used to fire one emergency top-up per settlement (eight, until the balance
 * reached zero). It fires once; the next one is armed only after the balance was positive again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { settledBalance } from '../../worker/ledger/ledger.js';
import { checkAllRenewals, settleDueTopUps } from '../../worker/funding/settle-due.js';
import { createFixture, topups, type Fixture } from '../funding/fixtures.js';

describe('emergency top-ups', () => {
  let f: Fixture;
  afterEach(async () => f.h.close());

  const settleRounds = async (n: number) => {
    const deps = f.jobDeps;
    for (let i = 0; i < n; i++) {
      f.h.clock.advance(30 * 60 * 1000);
      await settleDueTopUps(deps);
      await checkAllRenewals(deps);
    }
  };
  const emergencies = async () => (await topups(f.h, 'P1')).filter((t) => t.kind === 'emergency');

  it('one drop to −400 fires one emergency top-up, not eight', async () => {
    f = await createFixture(['P1']);
    await f.fund('P1', '1');
    const saved = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: { enabled: false, threshold: '10', amount: '50', payment_method: 'card' },
    });
    expect(saved.status).toBe(200);
    await f.charge('P1', '2025-08-15', '401'); // −400
    await settleRounds(10);
    const fired = await emergencies();
    expect(fired).toEqual([
      expect.objectContaining({ status: 'settled', amount: '50.000000', total: '52.000000' }),
    ]);
    expect(await settledBalance(f.h.db, 'P1')).toBe('-350.000000');
    // More usage while still below zero is the same drop.
    await f.charge('P1', '2025-08-16', '5');
    await settleRounds(2);
    expect(await emergencies()).toHaveLength(1);
  });

  it('a failed emergency payment is not retried within the same drop', async () => {
    f = await createFixture(['P1'], '2025-08-15T12:00:00Z', { SIMULATED_CARD_LIMIT: '10' });
    await f.fund('P1', '1');
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: { enabled: false, threshold: '10', amount: '50', payment_method: 'card' },
    });
    await f.charge('P1', '2025-08-15', '2'); // −1
    await settleRounds(5);
    expect((await emergencies()).map((t) => t.status)).toEqual(['failed']);
  });

  it('re-arms once the balance was positive again: a second drop gets its own top-up', async () => {
    f = await createFixture(['P1']);
    await f.fund('P1', '1');
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: { enabled: false, threshold: '10', amount: '50', payment_method: 'bank_transfer' },
    });
    await f.charge('P1', '2025-08-15', '101'); // −100
    await settleRounds(3); // one emergency of 50 → −50
    expect(await settledBalance(f.h.db, 'P1')).toBe('-50.000000');
    const q = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: { mode: 'one_time', amount: '80', payment_method: 'bank_transfer' },
    });
    const c = await f.json('POST', '/v1/phone-numbers/P1/funds', {
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': 'refill' },
    });
    expect(c.status).toBe(202);
    await settleRounds(1); // +30: positive again
    expect(await settledBalance(f.h.db, 'P1')).toBe('30.000000');
    await f.charge('P1', '2025-08-16', '40'); // −10: a new drop
    await settleRounds(3);
    expect((await emergencies()).map((t) => t.status)).toEqual(['settled', 'settled']);
    expect(await settledBalance(f.h.db, 'P1')).toBe('40.000000');
  });
});
