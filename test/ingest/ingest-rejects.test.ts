import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TS_REASON } from '../../worker/input-rules.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { HEADER, rec, toCsv, toNdjson } from './fixtures.js';

describe('worker/ingest bad input', () => {
  let h: Harness;
  let key: string;
  let otherKey: string;
  const counts = async () =>
    (
      await h.db.all<{ u: number; p: number; b: number }>(
        `SELECT (SELECT count(*) FROM units)::INTEGER AS u, (SELECT count(*) FROM phone_numbers)::INTEGER AS p,
                (SELECT count(*) FROM ingest_batches)::INTEGER AS b`,
      )
    )[0];
  const post = (body: string, type = 'text/csv') =>
    h.json('POST', '/v1/ingest', { token: key, body, headers: { 'content-type': type } });

  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme');
    const other = await h.partner('globex');
    otherKey = other;
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1']);
    await h.waba(other, { waba_id: 'W2', timezone: 'Asia/Kolkata', currency: 'INR' }, ['P3']);
    expect((await post(toCsv([rec('ok1')]))).status).toBe(200);
  });
  afterAll(() => h.close());

  it('rejects the whole batch for one bad row, naming line, column and reason; nothing is written', async () => {
    const before = await counts();
    const r = await post(
      toCsv([
        rec('b1', { phone_number_id: 'P7' }),
        rec('b2', { opened_at: 'yesterday' }),
        rec('b3', { category: 'spam', billable_reported: 'maybe' }),
        rec('b4', { rate: 'abc' }),
      ]),
    );
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('batch_rejected');
    expect(r.body.total_issues).toBe(4);
    expect(r.body.issues).toEqual([
      { line: 2, column: 'opened_at', reason: TS_REASON },
      { line: 3, column: 'billable_reported', reason: 'must be true or false' },
      { line: 3, column: 'category', reason: expect.stringContaining('must be one of business_initiated') },
      { line: 4, column: 'rate', reason: 'must be a decimal number such as 0.0125' },
    ]);
    // The valid row's new number P7 was not registered either.
    expect(await counts()).toEqual(before);
  });

  it('rejects malformed CSV with the parser line', async () => {
    const before = await counts();
    const good = toCsv([rec('m1'), rec('m2')]);
    const r = await post(good + 'm3,CBP,conversation\n');
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([{ line: 3, reason: expect.stringContaining('malformed CSV') }]);
    const q = await post(good.replace('m2,', '"m2,'));
    expect(q.status).toBe(422);
    expect(await counts()).toEqual(before);
  });

  it('rejects malformed NDJSON with the line', async () => {
    const before = await counts();
    const r = await post(toNdjson([rec('j1')]) + '{"unit_id": nope}\n', 'application/x-ndjson');
    expect(r.status).toBe(422);
    expect(r.body.issues[0]).toMatchObject({ line: 2, reason: expect.stringContaining('malformed NDJSON') });
    expect(await counts()).toEqual(before);
  });

  it('rejects bytes that are not Parquet or Arrow IPC', async () => {
    const before = await counts();
    const garbage = new TextEncoder().encode('this is not a columnar file at all');
    for (const type of ['application/vnd.apache.parquet', 'application/vnd.apache.arrow.stream']) {
      const r = await h.json('POST', '/v1/ingest', {
        token: key,
        body: garbage,
        headers: { 'content-type': type },
      });
      expect(r.status).toBe(422);
      expect(r.body.issues[0].reason).toMatch(/^malformed (PARQUET|ARROW)/);
    }
    expect(await counts()).toEqual(before);
  });

  it('rejects missing required columns before reading rows', async () => {
    const header = HEADER.filter((c) => c !== 'opened_at' && c !== 'category');
    const r = await post(toCsv([rec('x1')], header));
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      { column: 'category', reason: 'required column is missing' },
      { column: 'opened_at', reason: 'required column is missing' },
    ]);
    // NDJSON has no header: each record without the field is a row issue.
    const { opened_at: _o, ...noTime } = rec('x2');
    const j = await post(toNdjson([noTime]), 'application/x-ndjson');
    expect(j.body.issues).toEqual([{ line: 1, column: 'opened_at', reason: 'required' }]);
  });

  it('rejects a time zone or currency that does not match the WABA', async () => {
    const before = await counts();
    const r = await post(
      toCsv([rec('t1', { waba_timezone: 'Mars/Olympus_Mons' }), rec('t2', { currency: 'EUR' })]),
    );
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      { line: 1, column: 'waba_timezone', reason: "does not match the WABA's time zone" },
      { line: 2, column: 'currency', reason: "does not match the WABA's currency" },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('treats unknown WABAs, other tenants’ WABAs and their numbers as row errors', async () => {
    const before = await counts();
    const r = await post(
      toCsv([
        rec('o1', { waba_id: 'W404' }),
        rec('o2', { waba_id: 'W2', waba_timezone: 'Asia/Kolkata', currency: 'INR', phone_number_id: 'P3' }),
        rec('o3', { phone_number_id: 'P3' }),
      ]),
    );
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      { line: 1, column: 'waba_id', reason: 'is not a WABA of this partner' },
      { line: 2, column: 'waba_id', reason: 'is not a WABA of this partner' },
      { line: 3, column: 'phone_number_id', reason: 'belongs to another WABA' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a unit_id another partner already recorded, leaving that unit where it was', async () => {
    const globexRow = rec('g1', {
      waba_id: 'W2',
      waba_timezone: 'Asia/Kolkata',
      currency: 'INR',
      phone_number_id: 'P3',
    });
    const g = await h.json('POST', '/v1/ingest', {
      token: otherKey,
      body: toCsv([globexRow]),
      headers: { 'content-type': 'text/csv' },
    });
    expect(g.status).toBe(200);
    const before = await counts();
    const r = await post(toCsv([rec('fresh-1'), rec('g1', { category: 'utility' })]));
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      { column: 'unit_id', reason: 'g1 is recorded under a WABA that is not yours' },
    ]);
    expect(await counts()).toEqual(before);
    const [unit] = await h.db.all<{ waba_id: string; category: string }>(
      `SELECT waba_id, category::VARCHAR AS category FROM units WHERE unit_id = 'g1'`,
    );
    expect(unit).toEqual({ waba_id: 'W2', category: 'marketing' });
  });

  it('caps the listed issues and says how many there are', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => rec(`cap${i}`, { unit: 'box' }));
    const r = await post(toCsv(rows));
    expect(r.status).toBe(422);
    expect(r.body.issues.length).toBe(100);
    expect(r.body.total_issues).toBe(150);
    expect(r.body.issues[99].line).toBe(100);
  });
});

describe('worker/ingest body limit', () => {
  it('answers 413 over BODY_LIMIT_BYTES with nothing written', async () => {
    const h = await createHarness({ env: { BODY_LIMIT_BYTES: '2048' } });
    try {
      const key = await h.partner('acme');
      await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1']);
      const rows = Array.from({ length: 40 }, (_, i) => rec(`l${i}`));
      const r = await h.json('POST', '/v1/ingest', {
        token: key,
        body: toCsv(rows),
        headers: { 'content-type': 'text/csv' },
      });
      expect(r.status).toBe(413);
      expect(r.body.code).toBe('payload_too_large');
      const [n] = await h.db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM units');
      expect(n?.n).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('answers 413 for a body over the 100 MB default on a real HTTP server, streamed without a file', async () => {
    const h = await createHarness();
    const server = await h.listen();
    try {
      const key = await h.partner('acme');
      // 101 MiB generated on the fly: the server must stop at the limit, not buffer or store the body.
      const chunk = new TextEncoder().encode('x'.repeat(1 << 20));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(ctrl) {
          if (sent >= 101) return ctrl.close();
          sent++;
          ctrl.enqueue(chunk);
        },
      });
      const res = await fetch(`${server.url}/v1/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect((await res.json()).limit_bytes).toBe(100 * 1024 * 1024);
    } finally {
      await server.close();
      await h.close();
    }
  });
});
