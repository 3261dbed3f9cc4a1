/**
 * What follows a balance change runs after the commit of the posting transaction: the gate's cache is emptied
 * only then (a gate read during the transaction, which still sees the old balance on its own connection, cannot
 * leave the old balance cached), and the auto-renewal check runs in a transaction of its own, not at all when
 * the posting rolls back. The usage is committed on the analytics plane first; the posting is the money
 * transaction (the same store unless TEST_MONEY_STORE splits the planes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postUsageCharges } from '../../worker/funding/post-usage-charges.js';
import { settledBalance } from '../../worker/ledger/ledger.js';
import { inMoneyTx } from '../helpers/planes.js';
import { createFixture, topups, type Fixture } from './fixtures.js';

const TTL = 60_000;

describe('funding: effects after the posting commits', () => {
  let f: Fixture;
  afterEach(async () => f.h.close());

  const usage = (amount: string) =>
    f.h.db.run(
      `INSERT INTO usage_daily (waba_id, phone_number_id, local_day, local_month, category, country, market,
         pricing_type, unit, currency, n_all, n_free, n_paid, amount)
       VALUES ('W1', 'P1', DATE '2025-08-14', DATE '2025-08-01', 'marketing', 'DE', 'Germany', 'regular',
         'message', 'EUR', 1, 0, 1, CAST($a AS DECIMAL(38, 6)))`,
      { a: amount },
    );
  const send = () =>
    f.json('POST', '/v1/phone-numbers/P1/messages/authorize', {
      body: { direction: 'outbound', recipient: '4915112345678', kind: 'template', category: 'marketing' },
    });

  it('a gate read during the charge posting cannot re-cache the old balance', async () => {
    f = await createFixture(['P1'], '2025-08-15T12:00:00Z', { GATE_BALANCE_CACHE_MS: String(TTL) });
    await f.fund('P1', '10');
    expect((await send()).status).toBe(200); // remembers 10.00
    let seenInside = '';
    await usage('10');
    // PGlite has one session: no other connection can read while the posting transaction holds it.
    const concurrentReads = f.h.money === f.h.db || process.env.TEST_MONEY_STORE === 'postgres';
    await inMoneyTx(f.h, async (planes) => {
      await postUsageCharges(planes, [{ waba_id: 'W1', month: '2025-08-01' }], f.ctx());
      // A concurrent gate decision reads on another connection: the charge is not committed yet.
      if (concurrentReads) seenInside = await f.h.services.gate.balances.read('P1', TTL);
    });
    if (concurrentReads) expect(seenInside).toBe('10.000000');
    expect(await settledBalance(f.h.money, 'P1')).toBe('0.000000');
    expect(f.h.services.gate.balances.peek('P1', Date.now(), TTL)).toBeUndefined();
    const r = await send();
    expect(r.status).toBe(402);
    expect(r.body.code).toBe('insufficient_balance');
  });

  it('the auto-renewal check runs after the commit, and not at all after a rollback', async () => {
    f = await createFixture(['P1']);
    await f.fund('P1', '20');
    const put = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: { enabled: true, threshold: '10', amount: '50', payment_method: 'card' },
    });
    expect(put.status).toBe(200);
    expect(await topups(f.h, 'P1')).toEqual([]);
    await usage('15');
    await expect(
      inMoneyTx(f.h, async (planes) => {
        await postUsageCharges(planes, [{ waba_id: 'W1', month: '2025-08-01' }], f.ctx());
        throw new Error('the posting failed after the sync');
      }),
    ).rejects.toThrow('the posting failed');
    expect(await topups(f.h, 'P1')).toEqual([]);
    expect(await settledBalance(f.h.money, 'P1')).toBe('20.000000');
    let insideTx: unknown[] = [];
    await inMoneyTx(f.h, async (planes) => {
      await postUsageCharges(planes, [{ waba_id: 'W1', month: '2025-08-01' }], f.ctx());
      insideTx = await planes.money.all('SELECT topup_id FROM topups');
    });
    expect(insideTx).toEqual([]);
    expect(await settledBalance(f.h.money, 'P1')).toBe('5.000000');
    expect(await topups(f.h, 'P1')).toEqual([
      expect.objectContaining({ kind: 'auto', status: 'pending', amount: '50.000000' }),
    ]);
  });
});
