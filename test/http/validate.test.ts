import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

describe('worker/http/validate', () => {
  let h: Harness;
  let key = '';
  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Berlin' }, ['N1']);
  });
  afterAll(() => h.close());

  const problem = async (res: Response) => ({
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as { code: string; detail: string; issues?: unknown[] },
  });

  it('names an unknown query parameter and a bad value in one 400', async () => {
    const p = await problem(await h.call('GET', '/v1/usage?grop_by=x&granularity=year', { token: key }));
    expect(p.status).toBe(400);
    expect(p.type).toContain('application/problem+json');
    expect(p.body.code).toBe('invalid_request');
    expect(p.body.detail).toBe('The request query is not valid.');
    expect(p.body.issues).toEqual(
      expect.arrayContaining([
        { column: 'grop_by', reason: 'is not a known parameter' },
        { column: 'granularity', reason: 'must be one of hour, day, week, month, quarter' },
      ]),
    );
  });

  it('tells bad JSON from bad fields in a body', async () => {
    const bad = await problem(
      await h.call('POST', '/v1/wabas', {
        token: key,
        body: '{',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe('The request body is not valid JSON.');
    const fields = await problem(await h.call('POST', '/v1/wabas', { token: key, body: { name: '' } }));
    expect(fields.status).toBe(400);
    expect(fields.body.detail).toBe('The request body is not valid.');
    expect(fields.body.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ column: 'waba_id' })]),
    );
  });

  it('checks a declared header with the same problem', async () => {
    const p = await problem(
      await h.call('POST', '/v1/phone-numbers/N1/funds', { token: key, body: { quote_id: 'q_1' } }),
    );
    expect(p.status).toBe(400);
    expect(p.body.code).toBe('invalid_request');
    expect(p.body.issues).toEqual([{ column: 'Idempotency-Key', reason: 'required header' }]);
  });

  it('checks who may call before what was sent', async () => {
    const minted = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['N1'], scopes: ['read-usage'] },
    });
    const token = minted.body.token as string;
    // The token lacks read-balance: 403 whatever the query, as for a valid one.
    expect((await h.call('GET', '/v1/phone-numbers/N1/runway?horizon_days=0', { token })).status).toBe(403);
    expect((await h.call('GET', '/v1/phone-numbers/N1/runway', { token })).status).toBe(403);
    // With the scope, the same bad query is a 400.
    expect((await h.call('GET', '/v1/phone-numbers/N1/runway?horizon_days=0', { token: key })).status).toBe(
      400,
    );
  });
});
