import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEmbedToken } from '../../worker/auth/embed-token.js';
import { normalizeConfig } from '../../worker/config.js';
import { mintDemoEmbedToken } from '../../worker/routes/embed-tokens.js';
import { ADMIN, createHarness, SIGNING_SECRET, type Harness } from '../helpers/harness.js';

describe('worker/routes/embed-tokens', () => {
  let h: Harness;
  let keyA: string;
  let keyB: string;
  beforeAll(async () => {
    h = await createHarness({ now: '2025-08-15T12:00:00Z' });
    keyA = await h.partner('acme', ['https://portal.acme.test']);
    keyB = await h.partner('globex');
    await h.waba(keyA, { waba_id: 'W1', timezone: 'Europe/Berlin' }, ['P1', 'P2']);
    await h.waba(keyB, { waba_id: 'W2', timezone: 'Asia/Kolkata' }, ['P3']);
  });
  afterAll(() => h.close());

  it('mints a token for own numbers with the default 900 s expiry', async () => {
    const r = await h.json('POST', '/v1/embed-tokens', {
      token: keyA,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage'] },
    });
    expect(r.status).toBe(201);
    expect(r.body.token).toMatch(/^et_/);
    expect(r.body.expires_at).toBe('2025-08-15T12:15:00.000Z');
    const v = await verifyEmbedToken(SIGNING_SECRET, r.body.token, h.clock.now());
    expect(v.ok && v.principal).toMatchObject({ kind: 'embed', partnerId: 'acme', phoneNumberIds: ['P1'] });
  });

  it('scopes the token to its numbers and scopes', async () => {
    const r = await h.json('POST', '/v1/embed-tokens', {
      token: keyA,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage'], ttl_seconds: 60 },
    });
    const token = r.body.token as string;
    expect((await h.call('GET', '/v1/phone-numbers/P1', { token })).status).toBe(200);
    expect((await h.call('GET', '/v1/phone-numbers/P2', { token })).status).toBe(404);
    const list = await h.json('GET', '/v1/phone-numbers', { token });
    expect(list.body.phone_numbers.map((p: { phone_number_id: string }) => p.phone_number_id)).toEqual([
      'P1',
    ]);
    // An embed token cannot mint another one.
    const again = await h.call('POST', '/v1/embed-tokens', {
      token,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage'] },
    });
    expect(again.status).toBe(403);
  });

  it('expires', async () => {
    const r = await h.json('POST', '/v1/embed-tokens', {
      token: keyA,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage'], ttl_seconds: 60 },
    });
    h.clock.advance(61_000);
    const res = await h.json('GET', '/v1/phone-numbers/P1', { token: r.body.token });
    expect(res.status).toBe(401);
    expect(res.body.detail ?? res.body.title).toMatch(/expired/i);
    h.clock.advance(-61_000);
  });

  it("answers 404 for another partner's number", async () => {
    const r = await h.call('POST', '/v1/embed-tokens', {
      token: keyA,
      body: { phone_number_ids: ['P1', 'P3'], scopes: ['read-usage'] },
    });
    expect(r.status).toBe(404);
  });

  it('rejects unknown scopes, ttl above an hour, empty lists and admin', async () => {
    for (const body of [
      { phone_number_ids: ['P1'], scopes: ['write-everything'] },
      { phone_number_ids: ['P1'], scopes: ['read-usage'], ttl_seconds: 3601 },
      { phone_number_ids: [], scopes: ['read-usage'] },
    ]) {
      expect((await h.call('POST', '/v1/embed-tokens', { token: keyA, body })).status).toBe(400);
    }
    const admin = await h.call('POST', '/v1/embed-tokens', {
      token: ADMIN,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage'] },
    });
    expect(admin.status).toBe(403);
    expect((await h.call('POST', '/v1/embed-tokens', { body: {} })).status).toBe(401);
  });

  it('the demo-only minter serves the named demo partner and nobody else', async () => {
    const deps = { money: h.money, clock: h.clock, config: normalizeConfig({ SIGNING_SECRET }) };
    expect(await mintDemoEmbedToken(deps, 'demo')).toBeNull();
    const minted = await mintDemoEmbedToken(deps, 'acme');
    expect(minted?.phone_number_ids).toEqual(['P1', 'P2']);
    const res = await h.json('GET', '/v1/phone-numbers', { token: minted!.token });
    expect(res.body.phone_numbers).toHaveLength(2);
  });
});
