import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMovement } from '../../worker/ledger/ledger.js';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';

describe('gate: concurrency, auth cache, callers', () => {
  let h: Harness;
  let key: string;
  const path = '/v1/phone-numbers/P1/messages/authorize';
  beforeAll(async () => {
    h = await createHarness({ now: '2025-03-10T09:00:00Z' }); // CBP
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    await appendMovement(h.money, {
      phone_number_id: 'P1',
      kind: 'topup_one_time',
      amount: '10',
      currency: 'USD',
      status: 'settled',
      requested_at: h.clock.now(),
    });
  });
  afterAll(() => h.close());

  it('20 concurrent marketing templates to a new customer open exactly one conversation', async () => {
    const body = {
      direction: 'outbound',
      recipient: '5511900000001',
      kind: 'template',
      category: 'marketing',
    };
    const rs = await Promise.all(
      Array.from({ length: 20 }, () => h.json('POST', path, { token: key, body })),
    );
    expect(rs.every((r) => r.status === 200)).toBe(true);
    expect(rs.filter((r) => r.body.opens_unit).length).toBe(1);
    expect(rs.filter((r) => r.body.paid).length).toBe(1);
    expect(rs.filter((r) => r.body.reason === 'in_open_marketing_conversation').length).toBe(19);
  });

  it('embed tokens cannot authorize sends', async () => {
    const t = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['P1'], scopes: ['read-balance'], ttl_seconds: 600 },
    });
    expect(t.status).toBe(201);
    const r = await h.json('POST', path, {
      token: t.body.token,
      body: { direction: 'inbound', recipient: '551190' },
    });
    expect(r.status).toBe(403);
  });

  it('a revoked key is refused at once despite the key cache', async () => {
    const k = await h.json('POST', '/v1/partners/acme/api-keys', { token: ADMIN, body: { label: 'temp' } });
    expect(k.status).toBe(201);
    const body = { direction: 'inbound', recipient: '5511900000002' };
    expect((await h.json('POST', path, { token: k.body.api_key, body })).status).toBe(200);
    const del = await h.call('DELETE', `/v1/partners/acme/api-keys/${k.body.key_id}`, { token: ADMIN });
    expect(del.status).toBe(204);
    expect((await h.json('POST', path, { token: k.body.api_key, body })).status).toBe(401);
    expect((await h.json('POST', path, { token: key, body })).status).toBe(200);
  });
});
