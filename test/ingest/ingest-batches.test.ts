import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';
import { rec, toCsv } from './fixtures.js';

describe('GET /v1/ingest/batches', () => {
  let h: Harness;
  let acme: string;
  let globex: string;
  const post = (token: string, body: string) =>
    h.json('POST', '/v1/ingest', { token, body, headers: { 'content-type': 'text/csv' } });

  beforeAll(async () => {
    h = await createHarness({ now: '2026-11-24T10:00:00Z' });
    acme = await h.partner('acme');
    globex = await h.partner('globex');
    await h.waba(acme, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    await h.waba(globex, { waba_id: 'W2', timezone: 'UTC' }, ['P2']);
    const batch = toCsv([rec('b1', { waba_timezone: 'UTC' }), rec('b2', { waba_timezone: 'UTC' })]);
    expect((await post(acme, batch)).status).toBe(200);
    h.clock.advance(60_000);
    expect((await post(acme, batch)).status).toBe(200); // a re-send: all duplicates
    h.clock.advance(60_000);
    expect((await post(acme, toCsv([rec('b3', { category: 'spam' })]))).status).toBe(422);
    const g = toCsv([rec('g1', { waba_id: 'W2', waba_timezone: 'UTC', phone_number_id: 'P2' })]);
    expect((await post(globex, g)).status).toBe(200);
  });
  afterAll(() => h.close());

  it('lists the partner’s own batches, latest first, with what each changed', async () => {
    const r = await h.json('GET', '/v1/ingest/batches', { token: acme });
    expect(r.status).toBe(200);
    expect(r.body.batches).toEqual([
      expect.objectContaining({ format: 'csv', rows: 2, inserted: 0, duplicates: 2, status: 'done' }),
      expect.objectContaining({ format: 'csv', rows: 2, inserted: 2, duplicates: 0, status: 'done' }),
    ]);
    expect(r.body.batches[0].received_at).toBe('2026-11-24T10:01:00.000Z');
    expect(r.body.next_before).toBeNull();
  });

  it('lets the admin see every partner’s batches and pages with before', async () => {
    const first = await h.json('GET', '/v1/ingest/batches?limit=2', { token: ADMIN });
    expect(first.body.batches.map((b: { partner_id: string }) => b.partner_id)).toEqual(['globex', 'acme']);
    const next = await h.json('GET', `/v1/ingest/batches?limit=2&before=${first.body.next_before}`, {
      token: ADMIN,
    });
    expect(next.body.batches).toHaveLength(1);
    expect(next.body.batches[0]).toMatchObject({ partner_id: 'acme', inserted: 2 });
  });

  it('validates the query and refuses embed tokens', async () => {
    expect((await h.json('GET', '/v1/ingest/batches?limit=0', { token: acme })).status).toBe(400);
    const minted = await h.json('POST', '/v1/embed-tokens', {
      token: acme,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage'] },
    });
    const r = await h.json('GET', '/v1/ingest/batches', { token: minted.body.token });
    expect(r.status).toBe(403);
  });
});
