import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';

describe('worker/routes tenancy', () => {
  let h: Harness;
  let keyA: string;
  let keyB: string;
  beforeAll(async () => {
    h = await createHarness();
    keyA = await h.partner('acme');
    keyB = await h.partner('globex');
    await h.waba(keyA, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1', 'P2']);
    await h.waba(keyB, { waba_id: 'W2', timezone: 'Asia/Kolkata', currency: 'INR' }, ['P3']);
  });
  afterAll(() => h.close());

  it('requires a bearer token', async () => {
    const r = await h.call('GET', '/v1/wabas');
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });

  it('rejects an unknown key', async () => {
    expect((await h.call('GET', '/v1/wabas', { token: 'ck_nope' })).status).toBe(401);
  });

  it('lets only the admin manage partners', async () => {
    expect((await h.call('GET', '/v1/partners', { token: keyA })).status).toBe(403);
    const r = await h.json('GET', '/v1/partners', { token: ADMIN });
    expect(r.body.partners.map((p: { partner_id: string }) => p.partner_id)).toEqual(['acme', 'globex']);
  });

  it('stores keys hashed, never in plain text', async () => {
    const rows = await h.money.all<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    expect(rows.length).toBe(2);
    for (const r of rows) expect([keyA, keyB]).not.toContain(r.key_hash);
  });

  it('shows a partner only its own WABAs and numbers', async () => {
    const w = await h.json('GET', '/v1/wabas', { token: keyA });
    expect(w.body.wabas.map((x: { waba_id: string }) => x.waba_id)).toEqual(['W1']);
    const p = await h.json('GET', '/v1/phone-numbers', { token: keyA });
    expect(p.body.phone_numbers.map((x: { phone_number_id: string }) => x.phone_number_id)).toEqual([
      'P1',
      'P2',
    ]);
  });

  it('answers 404 for another partner’s ids', async () => {
    expect((await h.call('GET', '/v1/wabas/W2', { token: keyA })).status).toBe(404);
    expect((await h.call('GET', '/v1/phone-numbers/P3', { token: keyA })).status).toBe(404);
    expect(
      (await h.call('PATCH', '/v1/phone-numbers/P3', { token: keyA, body: { label: 'x' } })).status,
    ).toBe(404);
    const r = await h.json('POST', '/v1/phone-numbers', {
      token: keyA,
      body: { phone_number_id: 'P9', waba_id: 'W2' },
    });
    expect(r.status).toBe(404);
  });

  it('validates a WABA at the edge', async () => {
    const r = await h.json('POST', '/v1/wabas', {
      token: keyA,
      body: { waba_id: 'W9', name: 'x', timezone: 'Mars/Olympus', currency: 'usd' },
    });
    expect(r.status).toBe(400);
    expect(r.body.issues.map((i: { column: string }) => i.column).sort()).toEqual(['currency', 'timezone']);
  });

  it('refuses a duplicate WABA with 409', async () => {
    const r = await h.json('POST', '/v1/wabas', {
      token: keyB,
      body: { waba_id: 'W1', name: 'x', timezone: 'UTC', currency: 'USD' },
    });
    expect(r.status).toBe(409);
  });

  it('edits a label', async () => {
    const r = await h.json('PATCH', '/v1/phone-numbers/P1', { token: keyA, body: { label: 'Support line' } });
    expect(r.status).toBe(200);
    expect(r.body.label).toBe('Support line');
  });

  it('serves the OpenAPI document without a token', async () => {
    const r = await h.json('GET', '/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toContain('/v1/wabas');
  });

  it('answers unknown routes with problem+json 404', async () => {
    const r = await h.call('GET', '/v1/nothing-here', { token: keyA });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });
});
