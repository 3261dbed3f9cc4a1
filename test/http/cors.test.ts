import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

describe('worker/http/cors', () => {
  let h: Harness;
  let token: string;
  const ALLOWED = 'https://portal.acme.test';
  beforeAll(async () => {
    h = await createHarness();
    const key = await h.partner('acme', [ALLOWED]);
    await h.partner('globex', ['https://globex.test']);
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    const r = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage', 'read-balance'] },
    });
    token = r.body.token;
  });
  afterAll(() => h.close());

  it("allows the partner's own origin", async () => {
    const r = await h.call('GET', '/v1/phone-numbers/P1', { token, headers: { origin: ALLOWED } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it("does not allow another partner's origin or an unknown one", async () => {
    for (const origin of ['https://globex.test', 'https://evil.test']) {
      const r = await h.call('GET', '/v1/phone-numbers/P1', { token, headers: { origin } });
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('keeps the header on error answers for an allowed origin', async () => {
    const r = await h.call('GET', '/v1/phone-numbers/P9', { token, headers: { origin: ALLOWED } });
    expect(r.status).toBe(404);
    expect(r.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('answers preflights for known origins only', async () => {
    const ok = await h.call('OPTIONS', '/v1/usage', {
      headers: { origin: ALLOWED, 'access-control-request-method': 'GET' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const bad = await h.call('OPTIONS', '/v1/usage', {
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' },
    });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });
});
