import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrigin } from '../../worker/tenancy/origin.js';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';

describe('PATCH /v1/partners/{id} allowed origins', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme', ['https://old.acme.test']);
    // A partner with keys, WABAs and numbers referencing it: the case that used to fail with a 500.
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
  });
  afterAll(() => h.close());

  const patch = (body: unknown, token = ADMIN, id = 'acme') =>
    h.json('PATCH', `/v1/partners/${id}`, { token, body });

  it('replaces the list of a partner that has keys and WABAs, and CORS follows at once', async () => {
    const r = await patch({ allowed_origins: ['https://portal.acme.test', 'http://localhost:3000'] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      partner_id: 'acme',
      allowed_origins: ['http://localhost:3000', 'https://portal.acme.test'],
    });
    expect((await h.json('GET', '/v1/partners/acme', { token: ADMIN })).body.allowed_origins).toEqual([
      'http://localhost:3000',
      'https://portal.acme.test',
    ]);
    const cors = async (origin: string) =>
      (await h.call('GET', '/v1/wabas', { token: key, headers: { origin } })).headers.get(
        'access-control-allow-origin',
      );
    // An API key is for servers, but the rule is the partner's list either way.
    expect(await cors('https://portal.acme.test')).toBe('https://portal.acme.test');
    expect(await cors('https://old.acme.test')).toBeNull();
    // The key and the WABA still work: nothing referencing the partner was touched.
    expect((await h.json('GET', '/v1/wabas', { token: key })).body.wabas).toHaveLength(1);
    expect((await patch({ allowed_origins: [] })).body.allowed_origins).toEqual([]);
  });

  it('refuses anything that is not an origin exactly as a browser sends it', async () => {
    for (const bad of [
      'https://portal.acme.test/',
      'https://portal.acme.test/app',
      'HTTPS://Portal.acme.test',
      'https://*.acme.test',
      'https://portal.acme.test:443',
      'ftp://acme.test',
      'portal.acme.test',
      'https://user:pw@acme.test',
    ]) {
      const r = await patch({ allowed_origins: [bad] });
      expect(r.status, bad).toBe(400);
      expect(r.body.code).toBe('invalid_request');
    }
    expect((await patch({ allowed_origins: ['https://a.test', 'https://a.test'] })).status).toBe(400);
    expect((await patch({ allowed_origins: 'https://a.test' })).status).toBe(400);
    expect((await patch({ allowed_origins: [], name: 'x' })).status).toBe(400);
    expect(parseOrigin('https://portal.acme.test:8443')).toEqual({
      ok: true,
      origin: 'https://portal.acme.test:8443',
    });
  });

  it('is for the admin only and answers 404 for an unknown partner', async () => {
    expect((await patch({ allowed_origins: [] }, key)).status).toBe(403);
    expect((await patch({ allowed_origins: [] }, ADMIN, 'nobody')).status).toBe(404);
  });

  it('validates origins the same way when a partner is created', async () => {
    const r = await h.json('POST', '/v1/partners', {
      token: ADMIN,
      body: { partner_id: 'globex', name: 'Globex', allowed_origins: ['https://globex.test/'] },
    });
    expect(r.status).toBe(400);
  });
});
