/**
 * Refunds are money-moving requests like confirms: they take an Idempotency-Key, a retry (even concurrent,
 * over a real HTTP server) applies once, the same key with another body answers 422, and an amount that is
 * zero, negative, below the minor unit or beyond the request limit is a 400, not a 409.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settledBalance } from '../../worker/ledger/ledger.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';

describe('refunds are idempotent and bounded', () => {
  let f: Fixture;
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    f = await createFixture(['P1']);
    await f.fund('P1', '100');
    server = await f.h.listen();
  });
  afterAll(async () => {
    await server.close();
    await f.h.close();
  });

  const refund = async (body: unknown, key: string | null = 'r-1') => {
    const r = await fetch(`${server.url}/v1/phone-numbers/P1/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${f.key}`,
        'content-type': 'application/json',
        ...(key === null ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify(body),
    });
    return {
      status: r.status,
      replayed: r.headers.get('idempotent-replayed'),
      body: (await r.json()) as any,
    };
  };

  it('applies a retried refund once, even when the retries race', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => refund({ amount: '30', reason: 'x' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.movement_id)).size).toBe(1);
    expect(answers.filter((a) => a.replayed === 'true')).toHaveLength(9);
    expect(await settledBalance(f.h.db, 'P1')).toBe('70.000000');
    const again = await refund({ amount: '30', reason: 'x' });
    expect(again).toMatchObject({ status: 201, replayed: 'true', body: { balance: '70.000000' } });
    expect(
      await f.h.db.all("SELECT count(*)::INTEGER AS n FROM ledger_movements WHERE kind = 'refund'"),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses the same key with a different body (422) and a missing key (400)', async () => {
    const other = await refund({ amount: '31', reason: 'x' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const none = await refund({ amount: '1' }, null);
    expect(none.status).toBe(400);
    expect(await settledBalance(f.h.db, 'P1')).toBe('70.000000');
  });

  it.each([
    ['0'],
    ['0.00'],
    ['-5'],
    [-5],
    ['0.001'],
    ['10000000.01'],
    ['999999999999.999999'],
    ['1e3'],
    ['abc'],
    [1e21],
  ])('answers 400 for the amount %s', async (amount) => {
    const r = await refund({ amount }, `bad-${String(amount)}`);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid_request');
    expect(await settledBalance(f.h.db, 'P1')).toBe('70.000000');
  });

  it('still answers 409 for a refund above the settled balance', async () => {
    const r = await refund({ amount: '70.01' }, 'too-much');
    expect(r.status).toBe(409);
  });
});
