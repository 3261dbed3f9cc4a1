/** Quotes in auto-renewal mode, embed-token scopes and tenant isolation of the funding surface. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, topups, type Fixture } from './fixtures.js';

describe('add funds: auto-renewal mode, scopes, tenancy', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(['P1', 'P2']);
  });
  afterAll(() => f.h.close());

  it('confirming an auto_renewal quote pays the first top-up and saves the settings (audited)', async () => {
    const q = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: {
        mode: 'auto_renewal',
        amount: '25.555',
        payment_method: 'card',
        auto_renewal: { threshold: '5' },
      },
    });
    expect(q.status).toBe(201);
    // 25.555 → 25.56 (half-up to cents); 4 % = 1.0224 → 1.02.
    expect(q.body).toMatchObject({
      mode: 'auto_renewal',
      amount: '25.560000',
      fee: '1.020000',
      total: '26.580000',
    });
    const c = await f.json('POST', '/v1/phone-numbers/P1/funds', {
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': 'ar-1' },
    });
    expect(c.status).toBe(202);
    expect(c.body.auto_renewal).toMatchObject({ enabled: true, threshold: '5.000000', amount: '25.560000' });
    expect(await topups(f.h, 'P1')).toEqual([
      expect.objectContaining({ kind: 'one_time', total: '26.580000' }),
    ]);
    const audit = (await f.json('GET', '/v1/phone-numbers/P1/audit')).body.entries;
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toMatch(/^partner:acme\/key:/);
    const missing = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: { mode: 'auto_renewal', amount: '10', payment_method: 'card' },
    });
    expect(missing.status).toBe(400);
  });

  it('lets an embed token with read-balance read but not add funds; only its numbers', async () => {
    const t = await f.json('POST', '/v1/embed-tokens', {
      body: { phone_number_ids: ['P1'], scopes: ['read-balance'], ttl_seconds: 600 },
    });
    expect(t.status).toBe(201);
    const token = t.body.token as string;
    expect((await f.h.call('GET', '/v1/phone-numbers/P1/balance', { token })).status).toBe(200);
    expect((await f.h.call('GET', '/v1/phone-numbers/P2/balance', { token })).status).toBe(404);
    const q = await f.h.call('POST', '/v1/phone-numbers/P1/funds/quotes', {
      token,
      body: { mode: 'one_time', amount: '5', payment_method: 'card' },
    });
    expect(q.status).toBe(403);
    expect(
      (await f.h.call('POST', '/v1/phone-numbers/P1/refunds', { token, body: { amount: '1' } })).status,
    ).toBe(403);
    expect((await f.h.call('GET', '/v1/alert-subscriptions', { token })).status).toBe(403);
    const b = await f.h.json('GET', '/v1/balances', { token });
    expect(b.body.numbers.map((n: { phone_number_id: string }) => n.phone_number_id)).toEqual(['P1']);
  });

  it('keeps alerts and subscriptions per partner', async () => {
    await f.json('POST', '/v1/alert-subscriptions', { body: { url: 'http://93.184.216.34:9/a' } });
    const other = await f.h.partner('globex');
    expect((await f.h.json('GET', '/v1/alerts', { token: other })).body.alerts).toEqual([]);
    expect((await f.h.json('GET', '/v1/alert-subscriptions', { token: other })).body.subscriptions).toEqual(
      [],
    );
    const subs = (await f.json('GET', '/v1/alert-subscriptions')).body.subscriptions;
    const del = await f.h.call('DELETE', `/v1/alert-subscriptions/${subs[0].subscription_id}`, {
      token: other,
    });
    expect(del.status).toBe(404);
  });

  it('documents the balance paths in OpenAPI', async () => {
    const doc = (await f.h.json('GET', '/v1/openapi.json')).body as { paths: Record<string, unknown> };
    for (const p of ['/v1/balances', '/v1/phone-numbers/{id}/funds', '/v1/payments/webhook', '/v1/alerts']) {
      expect(doc.paths[p]).toBeDefined();
    }
  });
});
