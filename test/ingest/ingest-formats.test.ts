import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { rec, toCsv, toNdjson } from './fixtures.js';

describe('worker/ingest formats', () => {
  let h: Harness;
  let key: string;
  let dir: string;
  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1']);
    dir = await mkdtemp(join(tmpdir(), 'ingest-fmt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await h.close();
  });

  const post = (body: string | Uint8Array, type: string) =>
    h.json('POST', '/v1/ingest', { token: key, body, headers: { 'content-type': type } });
  const unit = async (id: string) =>
    (
      await h.db.all(
        `SELECT pricing_model, unit, category, strftime(opened_at, '%Y-%m-%dT%H:%M:%SZ') AS opened_at,
                is_template, rate_in::VARCHAR AS rate_in FROM units WHERE unit_id = $id`,
        { id },
      )
    )[0];

  it('reads NDJSON with numbers and booleans as JSON values', async () => {
    const body = toNdjson([
      {
        ...rec('n1', { pricing_model: 'PMP', unit: 'message', category: 'utility' }),
        is_template: true,
        rate: 0.0171,
      },
      { ...rec('n2'), opened_at: 1710093600 },
    ]);
    const r = await post(body, 'application/x-ndjson');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ format: 'ndjson', rows: 2, inserted: 2 });
    expect(await unit('n1')).toEqual({
      pricing_model: 'PMP',
      unit: 'message',
      category: 'utility',
      opened_at: '2024-03-10T18:00:00Z',
      is_template: true,
      rate_in: '0.017100',
    });
    expect((await unit('n2'))?.opened_at).toBe('2024-03-10T18:00:00Z');
  });

  it('reads Parquet written by DuckDB COPY, typed columns included', async () => {
    const csv = join(dir, 'in.csv');
    const pq = join(dir, 'in.parquet');
    await writeFile(csv, toCsv([rec('q1'), rec('q2', { category: 'utility' })]));
    // Typed timestamp and decimal columns, as a real export would carry them.
    await h.db.run(
      `COPY (SELECT * REPLACE (CAST(opened_at AS TIMESTAMPTZ) AS opened_at, CAST(rate AS DECIMAL(12, 6)) AS rate)
               FROM read_csv('${csv}', all_varchar = true)) TO '${pq}' (FORMAT parquet)`,
    );
    const r = await post(new Uint8Array(await readFile(pq)), 'application/vnd.apache.parquet');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ format: 'parquet', rows: 2, inserted: 2 });
    expect(await unit('q2')).toMatchObject({
      category: 'utility',
      opened_at: '2024-03-10T18:00:00Z',
      rate_in: '0.025000',
    });
  });

  it('reads an Arrow IPC stream', async () => {
    const table = tableFromArrays({
      unit_id: ['a1', 'a2'],
      pricing_model: ['CBP', 'CBP'],
      unit: ['conversation', 'conversation'],
      waba_id: ['W1', 'W1'],
      phone_number_id: ['P1', 'P1'],
      recipient_wa_id: ['4915112345678', '4915112345679'],
      category: ['service', 'marketing'],
      opened_at: ['2024-03-10T18:00:00Z', '2024-03-11T08:30:00Z'],
      billable_reported: [true, false],
    });
    const r = await post(tableToIPC(table, 'stream'), 'application/vnd.apache.arrow.stream');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ format: 'arrow', rows: 2, inserted: 2 });
    expect(await unit('a2')).toMatchObject({ category: 'marketing', opened_at: '2024-03-11T08:30:00Z' });
  });

  it('answers 415 for an unknown content type and 400 for an unknown format name', async () => {
    const r = await post('x', 'application/xml');
    expect(r.status).toBe(415);
    expect(r.body.code).toBe('unsupported_media_type');
    const f = await h.json('POST', '/v1/ingest?format=xls', {
      token: key,
      body: 'x',
      headers: { 'content-type': 'text/csv' },
    });
    expect(f.status).toBe(400);
  });

  it('refuses embed tokens', async () => {
    const t = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage'] },
    });
    expect(t.status).toBe(201);
    const r = await h.json('POST', '/v1/ingest', {
      token: t.body.token,
      body: toCsv([rec('e1')]),
      headers: { 'content-type': 'text/csv' },
    });
    expect(r.status).toBe(403);
  });
});
