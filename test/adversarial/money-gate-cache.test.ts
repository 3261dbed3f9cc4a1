/**
 * The gate's balance cache is invalidated after the commit. Invalidated inside the transaction, a gate read
 * between the ledger write and the commit (another connection, so still the old balance) remembered the old
 * positive balance, and for up to the cache's lifetime paid sends went through after a refund emptied it.
 * The race is reproduced deterministically: the read runs inside the refund's transaction, before its commit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { refundBalance } from '../../worker/funding/refund.js';
import { onCommit } from '../../worker/db/db.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';

const TTL = 60_000;

describe('gate balance cache and commits', () => {
  let f: Fixture;
  afterEach(async () => f.h.close());

  it('a read between the refund and its commit does not re-cache the old balance', async () => {
    f = await createFixture(['P1'], '2025-08-15T12:00:00Z', { GATE_BALANCE_CACHE_MS: String(TTL) });
    await f.fund('P1', '10');
    const send = () =>
      f.json('POST', '/v1/phone-numbers/P1/messages/authorize', {
        body: { direction: 'outbound', recipient: '4915112345678', kind: 'template', category: 'marketing' },
      });
    expect((await send()).status).toBe(200); // caches 10.00
    let seenInside = '';
    await f.h.db.transaction(async (tx) => {
      await refundBalance(tx, { phone_number_id: 'P1', amount: '10', reason: null, actor: 't' }, f.ctx());
      // A concurrent gate decision: its read goes to a reader connection, which sees the committed 10.00.
      seenInside = await f.h.services.gate.balances.read('P1', TTL);
    });
    expect(seenInside).toBe('10.000000');
    expect(f.h.services.gate.balances.peek('P1', Date.now(), TTL)).toBeUndefined();
    const r = await send();
    expect(r.status).toBe(402);
    expect(r.body.code).toBe('insufficient_balance');
  });

  it('runs after-commit hooks only after a commit, never after a rollback', async () => {
    f = await createFixture(['P1']);
    const ran: string[] = [];
    await f.h.db.transaction(async (tx) => {
      onCommit(tx, () => {
        ran.push('committed');
      });
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['committed']);
    await expect(
      f.h.db.transaction(async (tx) => {
        onCommit(tx, () => {
          ran.push('rolled back');
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(ran).toEqual(['committed']);
    onCommit(f.h.db, () => {
      ran.push('no transaction');
    });
    expect(ran).toEqual(['committed', 'no transaction']);
  });
});
