/** Confirming a quote under an Idempotency-Key, over a real HTTP server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, topups, type Fixture } from './fixtures.js';

describe('POST /v1/phone-numbers/{id}/funds idempotency', () => {
  let f: Fixture;
  let server: { url: string; close(): Promise<void> };
  let quoteId: string;
  beforeAll(async () => {
    f = await createFixture(['P1']);
    server = await f.h.listen();
    const q = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: { mode: 'one_time', amount: '50', payment_method: 'card' },
    });
    quoteId = q.body.quote_id;
  });
  afterAll(async () => {
    await server.close();
    await f.h.close();
  });

  const confirm = (key: string | null, body: unknown) =>
    fetch(`${server.url}/v1/phone-numbers/P1/funds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${f.key}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });

  it('20 concurrent confirms with one key create exactly one top-up and answer the same', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const r = await confirm('key-1', { quote_id: quoteId });
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const ids = new Set(answers.map((a) => a.body.topup_id));
    expect(ids.size).toBe(1);
    for (const a of answers) expect(a.body).toEqual(answers[0]!.body);
    expect(answers[0]!.body).toMatchObject({ amount: '50.000000', fee: '2.000000', total: '52.000000' });
    const t = await topups(f.h, 'P1');
    expect(t).toHaveLength(1);
    const rows = await f.h.money.all(
      'SELECT kind FROM ledger_movements WHERE phone_number_id = $p ORDER BY seq',
      {
        p: 'P1',
      },
    );
    expect(rows).toEqual([{ kind: 'topup_one_time' }, { kind: 'fee' }]);
  });

  it('refuses the same key with a different body (422 idempotency_key_reused)', async () => {
    const q2 = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: { mode: 'one_time', amount: '20', payment_method: 'card' },
    });
    const r = await confirm('key-1', { quote_id: q2.body.quote_id });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { code: string }).code).toBe('idempotency_key_reused');
    expect(await topups(f.h, 'P1')).toHaveLength(1);
  });

  it('requires the header, and refuses a second confirmation of the same quote under another key', async () => {
    expect((await confirm(null, { quote_id: quoteId })).status).toBe(400);
    const r = await confirm('key-2', { quote_id: quoteId });
    expect(r.status).toBe(409);
    expect(await topups(f.h, 'P1')).toHaveLength(1);
  });

  it('refuses an expired quote', async () => {
    const q = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: { mode: 'one_time', amount: '5', payment_method: 'card' },
    });
    f.h.clock.advance(15 * 60 * 1000);
    const r = await confirm('key-3', { quote_id: q.body.quote_id });
    expect(r.status).toBe(409);
  });
});
