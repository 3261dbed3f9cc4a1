/**
 * worker/ingest/ingest-source: the one ingest of POST /v1/ingest and `npm run ingest`, whatever holds the bytes.
 * A source that is neither a request body nor a file gets the same answer, and DuckDB reads it from the path the
 * source gives; Arrow and webhooks never ask for a path.
 */
import { recomputer } from '../../worker/billing/recompute.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { ingestSource, type IngestSource } from '../../worker/ingest/ingest-source.js';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';
import { rec, toCsv } from './fixtures.js';
import { systemDomain } from '../helpers/system-domain.js';

describe('worker/ingest/ingest-source', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    h = await createHarness();
    const key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1']);
    dir = await mkdtemp(join(tmpdir(), 'ingest-source-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await h.close();
  });

  /** An in-memory source that writes itself out when asked for a path, and counts what it was asked. */
  function memorySource(text: string) {
    const bytes = new TextEncoder().encode(text);
    const asked: string[] = [];
    const source: IngestSource = {
      size: bytes.length,
      head: async (n) => (asked.push(`head ${n}`), bytes.subarray(0, n)),
      bytes: async () => (asked.push('bytes'), bytes),
      withPath: async (extension, fn) => {
        asked.push(`path ${extension}`);
        const path = join(dir, `batch.${extension}`);
        await writeFile(path, bytes);
        return fn(path);
      },
    };
    return { source, asked };
  }

  it('reads a CSV header from the head and the rows from the path, as the HTTP body does', async () => {
    const csv = toCsv([rec('s1'), rec('s2'), rec('s2')]);
    const { source, asked } = memorySource(csv);
    const result = await ingestSource(h.db, {
      format: 'csv',
      source,
      partnerId: null,
      now: h.clock.now(),
      recompute: recomputer(
        domainContextOf({ clock: h.clock, config: normalizeConfig({ DEMO_MODE: 'true' }) }),
      ),
    });
    expect(result).toMatchObject({ format: 'csv', rows: 3, inserted: 2, duplicates: 1 });
    expect(asked).toEqual(['head 65536', 'path csv']);
    const viaHttp = await h.json('POST', '/v1/ingest', {
      token: ADMIN,
      body: toCsv([rec('s3'), rec('s4'), rec('s4')]),
      headers: { 'content-type': 'text/csv' },
    });
    expect(viaHttp.body).toMatchObject({ format: 'csv', rows: 3, inserted: 2, duplicates: 1 });
  });

  it('refuses a bad batch the same way on every path, writing nothing', async () => {
    const { source } = memorySource(toCsv([rec('bad', { opened_at: 'yesterday' })]));
    const before = await h.db.all('SELECT count(*) AS n FROM units');
    await expect(
      ingestSource(h.db, {
        format: 'csv',
        source,
        partnerId: null,
        now: h.clock.now(),
        recompute: recomputer(systemDomain()),
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(await h.db.all('SELECT count(*) AS n FROM units')).toEqual(before);
  });
});
